using System;
using BenchmarkDotNet.Attributes;
using ModelC.Runtime.Kernels;
using Samples.LeNet;

namespace ModelC.Benchmarks;

/// <summary>
/// LeNet-5 of samples/LeNet/lenet.model (two convolutions, two max-pools, three dense layers): one
/// training step (forward, cross-entropy, backward, Adam) at batch 64 on fixed random images.
/// </summary>
[MemoryDiagnoser]
public class LeNetBenchmarks
{
    private LeNet _model = null!;
    private float[] _x = null!;
    private int[] _y = null!;
    private Rewinder _rewinder = null!;

    /// <summary>How many threads share the convolutions and large products (KernelThreads.Parts).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Parts = Threads;
        _model = new LeNet(seed: 1);
        var random = new Random(7);
        _x = Pixels(random, 64);
        _y = new int[64];
        for (int i = 0; i < _y.Length; i++) _y[i] = random.Next(10);
        // Grow the arenas and the optimizer state once, as a training loop's first step does.
        _model.TrainStep(_x, _y);
        _rewinder = new Rewinder(_model);
    }

    [Benchmark(Description = "LeNet TrainStep, Adam, batch 64")]
    public float LeNetTrainStep64() => _rewinder.AfterStep(_model.TrainStep(_x, _y));

    internal static float[] Pixels(Random random, int batch)
    {
        var x = new float[batch * LeNet.XSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        return x;
    }
}
