using System;
using System.Diagnostics;
using ModelC.Runtime.Kernels;
using ModelC.Runtime.Optimizers;

namespace ModelC.Benchmarks;

/// <summary>
/// A fast look at where a training step's time goes (--quick): the best of many short rounds per
/// piece, which a busy machine disturbs less than a mean. BenchmarkDotNet's numbers are the record.
/// </summary>
public static class QuickTimer
{
    public static int Run(string[] args)
    {
        var random = new Random(7);
        foreach (int parts in args.Length > 1 && args[1] == "--one-thread" ? new[] { 1 } : new[] { 1, 2 })
        {
            KernelThreads.Parts = parts;
            var model = new FashionMlp(seed: 1);
            var x = FashionBenchmarks.Pixels(random, 64);
            var y = new int[64];
            var one = FashionBenchmarks.Pixels(random, 1);
            var logits = new float[10];
            var probs = new float[10];
            var adam = new Adam();
            Console.WriteLine($"parts = {parts}");
            Report("TrainStep batch 64", () => model.TrainStep(x, y));
            Report("  ForwardBackward", () => model.ForwardBackward(x, y));
            Report("  ClipNorm", () => GradientClipping.ClipNorm(model.Gradients, 5f));
            Report("  Adam.Step", () => adam.Step(model.Parameters, model.Gradients));
            Report("Forward batch 1", () => model.Forward(one, logits, probs));
            var lenet = new global::Samples.LeNet.LeNet(seed: 1);
            var images = LeNetBenchmarks.Pixels(random, 64);
            Report("LeNet TrainStep batch 64", () => lenet.TrainStep(images, y));
            Report("  ForwardBackward", () => lenet.ForwardBackward(images, y));
            var lenetLogits = new float[64 * global::Samples.LeNet.LeNet.LogitsSize];
            Report("  Forward", () => lenet.Forward(images, lenetLogits));
            var charRnn = new CharRnn(seed: 1);
            var text = new int[16 * 32];
            for (int i = 0; i < text.Length; i++) text[i] = random.Next(60);
            var charLogits = new float[16 * CharRnn.LogitsSize];
            var charAdam = new Adam();
            Report("  Adam.Step", () => charAdam.Step(charRnn.Parameters, charRnn.Gradients));
            Report("CharRnn TrainStep batch 16", () => charRnn.TrainStep(text, text));
            Report("  ForwardBackward", () => charRnn.ForwardBackward(text, text));
            Report("  Forward", () => charRnn.Forward(text, charLogits));
            var a = new float[1024 * 1024]; var w = new float[1024 * 1024]; var c = new float[1024 * 1024];
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            long wall = Stopwatch.GetTimestamp();
            double best = Best(() => DenseKernels.MultiplyTransposed(a, w, c, 1024, 1024, 1024), rounds: 5, calls: 1);
            double cpuShare = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalNanoseconds / Stopwatch.GetElapsedTime(wall).TotalNanoseconds;
            Console.WriteLine($"{"1024^3 kernel",-24} {best / 1e3,10:F1} us  {2.0 * 1024 * 1024 * 1024 / best:F0} GFLOP/s  (process got {cpuShare:F2} CPUs)");
        }
        return 0;
    }

    private static void Report(string name, Action action)
    {
        double wall = Best(action, rounds: 30, calls: 20, out double cpu);
        Console.WriteLine($"{name,-24} {wall / 1e3,10:F1} us  (calling thread's CPU {cpu / 1e3:F1} us)");
    }

    private static double Best(Action action, int rounds, int calls) => Best(action, rounds, calls, out _);

    private static double Best(Action action, int rounds, int calls, out double bestCpu)
    {
        for (int i = 0; i < 3 * calls; i++) action();
        double best = double.MaxValue;
        bestCpu = double.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            long cpu = ThreadCpu.Nanoseconds();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            bestCpu = Math.Min(bestCpu, (double)(ThreadCpu.Nanoseconds() - cpu) / calls);
        }
        return best;
    }
}
