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
    // --inference-profile --batch1: only the batch-1 pieces, each timed as the best of many rounds of
    // a few calls (about 50 us), so that on a loaded machine some rounds run undisturbed.
    private static bool s_batch1;

    public static int Run(string[] args)
    {
        s_batch1 = Array.IndexOf(args, "--batch1") >= 0;
        var random = new Random(7);
        foreach (int parts in new[] { 1, 2 })
        {
            KernelThreads.Parts = parts;
            Console.WriteLine($"parts = {parts}");
            foreach (var (m, n, k) in new[] { (64, 128, 784), (64, 64, 128), (64, 10, 64), (1, 128, 784), (64, 120, 400), (64, 84, 120) })
            {
                if (s_batch1) continue;
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
            // The batch-1 path: one matrix-vector product per layer, and what one hand-off to the workers costs.
            foreach (var (n, k) in new[] { (128, 784), (64, 128), (120, 400), (84, 120) })
            {
                var x = Values(random, k);
                var w = Values(random, n * k);
                var b = Values(random, n);
                var y = new float[n];
                var relu = new float[n];
                Report($"dense 1x{n}x{k}", () => VectorMatrixKernels.MultiplyAddBiasRelu(x, w, b, y, relu, n, k), 2.0 * n * k);
            }
            if (parts > 1) Report("hand-off (2 x 2 us busy)", HandOff, 0);
            var mlp = new FashionMlp(seed: 1) { ReusePackedWeights = true };
            foreach (int batch in s_batch1 ? new[] { 1 } : new[] { 1, 64 })
            {
                var x = FashionBenchmarks.Pixels(random, batch);
                var logits = new float[batch * 10];
                var probs = new float[batch * 10];
                Report($"FashionMlp Forward {batch}", () => mlp.Forward(x, logits, probs), 2.0 * 109184 * batch);
            }
            foreach (int batch in s_batch1 ? new[] { 1 } : new[] { 1, 64 })
            {
                // LeNet's layers one by one, on its shapes.
                var conv1 = new Conv2dGeometry(1, 28, 28, 6, 5, 5, 1, 2, 2, 28, 28);
                var conv2 = new Conv2dGeometry(6, 14, 14, 16, 5, 5, 1, 0, 0, 10, 10);
                var image = Values(random, batch * 784);
                var w1 = Values(random, 150); var b1 = Values(random, 6);
                var w2 = Values(random, 2400); var b2 = Values(random, 16);
                var r1 = new float[batch * 4704]; var p1 = new float[batch * 1176];
                var s1 = new float[batch * conv1.ScratchSize]; var s2 = new float[batch * conv2.ScratchSize];
                var r2 = new float[batch * 1600]; var p2 = new float[batch * 400];
                // As the generated code calls them: each relu fused with its convolution, which stores only the relu's values.
                Report($"LeNet conv1+relu batch {batch}", () => ConvKernels.Forward(image, w1, b1, default, r1, s1, batch, conv1), 2.0 * 117600 * batch);
                Report($"  pool1", () => PoolKernels.MaxForward(r1, p1, batch, 6, 28, 28, 2, 2), 0);
                Report($"  conv2+relu", () => ConvKernels.Forward(p1, w2, b2, default, r2, s2, batch, conv2), 2.0 * 240000 * batch);
                Report($"  pool2", () => PoolKernels.MaxForward(r2, p2, batch, 16, 10, 10, 2, 2), 0);
                // As inference calls them: each pool in its convolution's kernel, conv2's weight kept by tap.
                var kept = new PackedWeights();
                Report($"  conv1+relu+pool1", () => ConvKernels.ForwardReluMaxPool(image, w1, b1, r1, p1, s1, batch, conv1, 2, 2, kept, 0, 1), 2.0 * 117600 * batch);
                Report($"  conv2+relu+pool2", () => ConvKernels.ForwardReluMaxPool(p1, w2, b2, r2, p2, s2, batch, conv2, 2, 2, kept, 2, 1), 2.0 * 240000 * batch);
            }
            var lenet = new global::Samples.LeNet.LeNet(seed: 1) { ReusePackedWeights = true };
            foreach (int batch in s_batch1 ? new[] { 1 } : new[] { 1, 64 })
            {
                var x = FashionBenchmarks.Pixels(random, batch);
                var logits = new float[batch * 10];
                Report($"LeNet Forward {batch}", () => lenet.Forward(x, logits), 0);
            }
        }
        return 0;
    }

    // Two chunks of 2 us of spinning, one per thread: what the wall time has beyond 2 us is the hand-off.
    private static void HandOff()
    {
        int job = 0;
        KernelThreads.TryRun(&Busy, &job, 2, 1, 2, chunksPerPart: 1);
    }

    private static void Busy(int* job, int start, int end)
    {
        long until = Stopwatch.GetTimestamp() + (end - start) * Stopwatch.Frequency / 500_000;
        while (Stopwatch.GetTimestamp() < until) { }
    }

    private static void Report(string name, Action action, double flops)
    {
        for (int i = 0; i < 50; i++) action();
        long start0 = Stopwatch.GetTimestamp();
        int calls = 0;
        double roundMs = s_batch1 ? 0.05 : 20;
        while (Stopwatch.GetElapsedTime(start0).TotalMilliseconds < roundMs) { action(); calls++; }
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int r = 0; r < (s_batch1 ? 4000 : 30); r++)
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
