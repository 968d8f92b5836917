using System;
using BenchmarkDotNet.Attributes;
using ModelC.Runtime.Kernels;
using Samples.LeNet;

namespace ModelC.Benchmarks;

/// <summary>
/// Inference in ModelC and in ONNX Runtime 1.31.1 on the same weights: FashionMlp and LeNet at
/// batch 1 (latency) and batch 64 (throughput). Threads is both ModelC's KernelThreads.Parts and
/// ONNX Runtime's intra-op thread count.
/// </summary>
[MemoryDiagnoser]
public class OnnxRuntimeBenchmarks
{
    private FashionMlp _mlp = null!;
    private LeNet _lenet = null!;
    private float[] _one = null!, _many = null!;
    private float[] _logits = null!, _probs = null!, _lenetLogits = null!;
    private OnnxRuntimeSession _mlpOne = null!, _mlpMany = null!, _lenetOne = null!, _lenetMany = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Parts = Threads;
        // Dense weights packed once, as ONNX Runtime prepacks a session's.
        _mlp = new FashionMlp(seed: 1) { ReusePackedWeights = true };
        _lenet = new LeNet(seed: 1) { ReusePackedWeights = true };
        var random = new Random(7);
        _one = FashionBenchmarks.Pixels(random, 1);
        _many = FashionBenchmarks.Pixels(random, 64);
        _logits = new float[64 * FashionMlp.LogitsSize];
        _probs = new float[64 * FashionMlp.ProbsSize];
        _lenetLogits = new float[64 * LeNet.LogitsSize];
        _mlpOne = new OnnxRuntimeSession(_mlp, Workloads.FashionResource, Threads, 1, _one);
        _mlpMany = new OnnxRuntimeSession(_mlp, Workloads.FashionResource, Threads, 64, _many);
        _lenetOne = new OnnxRuntimeSession(_lenet, Workloads.LeNetResource, Threads, 1, _one);
        _lenetMany = new OnnxRuntimeSession(_lenet, Workloads.LeNetResource, Threads, 64, _many);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _mlpOne.Dispose(); _mlpMany.Dispose(); _lenetOne.Dispose(); _lenetMany.Dispose();
    }

    [Benchmark(Description = "FashionMlp Forward, batch 1, ModelC")]
    public float MlpForward1() { _mlp.Forward(_one, _logits.AsSpan(0, 10), _probs.AsSpan(0, 10)); return _probs[0]; }

    [Benchmark(Description = "FashionMlp Forward, batch 1, ONNX Runtime")]
    public float MlpForward1Ort() { _mlpOne.Run(); return _mlpOne.Outputs[0][0]; }

    [Benchmark(Description = "FashionMlp Forward, batch 64, ModelC")]
    public float MlpForward64() { _mlp.Forward(_many, _logits, _probs); return _probs[0]; }

    [Benchmark(Description = "FashionMlp Forward, batch 64, ONNX Runtime")]
    public float MlpForward64Ort() { _mlpMany.Run(); return _mlpMany.Outputs[0][0]; }

    [Benchmark(Description = "LeNet Forward, batch 1, ModelC")]
    public float LeNetForward1() { _lenet.Forward(_one, _lenetLogits.AsSpan(0, 10)); return _lenetLogits[0]; }

    [Benchmark(Description = "LeNet Forward, batch 1, ONNX Runtime")]
    public float LeNetForward1Ort() { _lenetOne.Run(); return _lenetOne.Outputs[0][0]; }

    [Benchmark(Description = "LeNet Forward, batch 64, ModelC")]
    public float LeNetForward64() { _lenet.Forward(_many, _lenetLogits); return _lenetLogits[0]; }

    [Benchmark(Description = "LeNet Forward, batch 64, ONNX Runtime")]
    public float LeNetForward64Ort() { _lenetMany.Run(); return _lenetMany.Outputs[0][0]; }
}
