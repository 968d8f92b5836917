using System;
using BenchmarkDotNet.Attributes;

namespace ModelC.Benchmarks;

/// <summary>
/// The CharRnn sample's LSTM language model (32 steps, 128 hidden units; one LstmKernels call per
/// pass): one training step at its batch of 16.
/// </summary>
[MemoryDiagnoser]
public class RecurrentBenchmarks
{
    private CharRnn _model = null!;
    private int[] _text = null!, _next = null!;
    private Rewinder _rewinder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = new CharRnn(seed: 1);
        var random = new Random(7);
        _text = new int[16 * 32];
        _next = new int[16 * 32];
        for (int i = 0; i < _text.Length; i++) { _text[i] = random.Next(60); _next[i] = random.Next(60); }
        _model.TrainStep(_text, _next);
        _rewinder = new Rewinder(_model);
    }

    [Benchmark(Description = "CharRnn TrainStep, Adam, batch 16")]
    public float TrainStep16() => _rewinder.AfterStep(_model.TrainStep(_text, _next));
}
