using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ModelC.Runtime.Kernels;

namespace ModelC.Benchmarks;

/// <summary>
/// --inference-profile: the pieces of FashionMlp's and LeNet's inference (each dense product with its
/// weight packed per call and packed once, at 1 and 2 kernel threads), best of many short rounds,
/// wall and the calling thread's CPU time.
/// </summary>
public static unsafe class InferenceProfile
{
    public static int Run(string[] args)
    {
        var random = new Random(7);
        foreach (int parts in new[] { 1, 2 })
        {
            KernelThreads.Parts = parts;
            Console.WriteLine($"parts = {parts}");
            foreach (var (m, n, k) in new[] { (64, 128, 784), (64, 64, 128), (64, 10, 64), (1, 128, 784), (64, 120, 400), (64, 84, 120) })
            {
                var a = Values(random, m * k);
                var w = Values(random, n * k);
                var c = new float[m * n];
                Report($"product {m}x{n}x{k}", () => DenseKernels.MultiplyTransposed(a, w, c, m, n, k), 2.0 * m * n * k);
                if (!DenseKernels.Packs(m)) continue;
                long size = DenseKernels.PackedWeightSize(n, k);
                float* packed = (float*)NativeMemory.AlignedAlloc((nuint)(size * sizeof(float)), 64);
                DenseKernels.PackWeight(w, rowMajor: false, n, k, packed);
                Report($"  packed once", () => DenseKernels.MultiplyTransposed(a, w, packed, c, m, n, k), 2.0 * m * n * k);
                Report($"  packing", () => DenseKernels.PackWeight(w, rowMajor: false, n, k, packed), 0);
                NativeMemory.AlignedFree(packed);
            }
            var mlp = new FashionMlp(seed: 1);
            foreach (int batch in new[] { 1, 64 })
            {
                var x = FashionBenchmarks.Pixels(random, batch);
                var logits = new float[batch * 10];
                var probs = new float[batch * 10];
                Report($"FashionMlp Forward {batch}", () => mlp.Forward(x, logits, probs), 2.0 * 109184 * batch);
            }
            var lenet = new global::Samples.LeNet.LeNet(seed: 1);
            foreach (int batch in new[] { 1, 64 })
            {
                var x = FashionBenchmarks.Pixels(random, batch);
                var logits = new float[batch * 10];
                Report($"LeNet Forward {batch}", () => lenet.Forward(x, logits), 0);
            }
        }
        return 0;
    }

    private static void Report(string name, Action action, double flops)
    {
        for (int i = 0; i < 50; i++) action();
        long start0 = Stopwatch.GetTimestamp();
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start0).TotalMilliseconds < 20) { action(); calls++; }
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int r = 0; r < 30; r++)
        {
            long cpu = ThreadCpu.Nanoseconds();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            bestCpu = Math.Min(bestCpu, (double)(ThreadCpu.Nanoseconds() - cpu) / calls);
        }
        string rate = flops > 0 ? $"  {flops / best:F1} GFLOP/s" : "";
        Console.WriteLine($"{name,-28} {best / 1e3,9:F2} us  (calling thread's CPU {bestCpu / 1e3:F2} us){rate}");
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
