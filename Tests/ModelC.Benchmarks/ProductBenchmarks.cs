using System;
using BenchmarkDotNet.Attributes;
using ModelC.Runtime.Kernels;

namespace ModelC.Benchmarks;

/// <summary>
/// A 1024 x 1024 x 1024 product (2^31 floating-point operations): the dense kernel on its own, and
/// the forward pass of product.model (a 1024 -> 1024 dense layer at batch 1024), which adds the
/// copies of its input and output.
/// </summary>
[MemoryDiagnoser]
public class ProductBenchmarks
{
    public const int Size = 1024;
    public const double FloatingPointOperations = 2.0 * Size * Size * Size;

    private float[] _a = null!, _w = null!, _c = null!;
    private DenseProduct _model = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelThreads.Parts = Threads;
        var random = new Random(3);
        _a = Values(random, Size * Size);
        _w = Values(random, Size * Size);
        _c = new float[Size * Size];
        _model = new DenseProduct(seed: 1);
        _model.Forward(_a, _c);
    }

    [Benchmark(Description = "Dense kernel 1024x1024x1024")]
    public float Kernel()
    {
        DenseKernels.MultiplyTransposed(_a, _w, _c, Size, Size, Size, packed: null, slot: 0, version: 0, overwrite: true);
        return _c[0];
    }

    [Benchmark(Description = "DenseProduct Forward, batch 1024")]
    public float ModelForward()
    {
        _model.Forward(_a, _c);
        return _c[0];
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
