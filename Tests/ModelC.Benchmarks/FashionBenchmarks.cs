using System;
using BenchmarkDotNet.Attributes;
using ModelC.Runtime.Kernels;

namespace ModelC.Benchmarks;

/// <summary>
/// The FashionMlp of SPEC section 2: one training step (forward, loss with its L2 term, backward,
/// clipping, Adam) at batch 64 and 256, and inference on one example. Inputs are fixed random
/// pixels and labels, so the work is the same on every run.
/// </summary>
[MemoryDiagnoser]
public class FashionBenchmarks
{
    private FashionMlp _model = null!;
    private float[] _x64 = null!, _x256 = null!, _one = null!, _logits = null!, _probs = null!;
    private int[] _y64 = null!, _y256 = null!;
    private Rewinder _rewinder = null!;

    /// <summary>How many parts large products are split into (KernelThreads.Parts).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Parts = Threads;
        _model = new FashionMlp(seed: 1);
        var random = new Random(7);
        _x64 = Pixels(random, 64); _y64 = Labels(random, 64);
        _x256 = Pixels(random, 256); _y256 = Labels(random, 256);
        _one = Pixels(random, 1);
        _logits = new float[FashionMlp.LogitsSize];
        _probs = new float[FashionMlp.ProbsSize];
        // Grow the arenas and the optimizer state once, as a training loop's first step does.
        _model.TrainStep(_x256, _y256);
        _rewinder = new Rewinder(_model);
    }

    [Benchmark(Description = "FashionMlp TrainStep, Adam, batch 64")]
    public float TrainStep64() => _rewinder.AfterStep(_model.TrainStep(_x64, _y64));

    [Benchmark(Description = "FashionMlp TrainStep, Adam, batch 256")]
    public float TrainStep256() => _rewinder.AfterStep(_model.TrainStep(_x256, _y256));

    [Benchmark(Description = "FashionMlp Forward, batch 1")]
    public float Forward1()
    {
        _model.Forward(_one, _logits, _probs);
        return _probs[0];
    }

    internal static float[] Pixels(Random random, int batch)
    {
        var x = new float[batch * FashionMlp.XSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        return x;
    }

    private static int[] Labels(Random random, int batch)
    {
        var y = new int[batch];
        for (int i = 0; i < y.Length; i++) y[i] = random.Next(10);
        return y;
    }
}
