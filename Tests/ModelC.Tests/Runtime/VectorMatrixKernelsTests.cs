using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

// Sets KernelThreads.Parts, like DenseKernelsTests, so it never runs beside them.
[Collection("KernelThreads")]
public sealed class VectorMatrixKernelsTests
{
    // Row counts around the 8-row block, widths below, at and around 16 (the vector width), and
    // FashionMlp's layers; every start offset of the weights within a 64-byte line is tried, so the
    // masked head and tail of each row meet every alignment.
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 1 }, { 3, 5 }, { 8, 16 }, { 9, 17 }, { 7, 31 }, { 16, 33 }, { 13, 37 }, { 10, 64 }, { 64, 128 }, { 128, 784 }, { 17, 100 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyAddBiasMatchesADoublePrecisionProductAtEveryAlignment(int n, int k) => VectorPaths.ForEach(_ => MultiplyAddBiasMatchesADoublePrecisionProductAtEveryAlignmentOn(n, k));

    private static void MultiplyAddBiasMatchesADoublePrecisionProductAtEveryAlignmentOn(int n, int k)
    {
        for (int offset = 0; offset < 16; offset++)
        {
            // Spans starting offset floats into their arrays, so that their 64-byte alignment varies.
            ReadOnlySpan<float> w = Random(n * k + offset, 1 + offset).AsSpan(offset);
            ReadOnlySpan<float> x = Random(k + 3, 40 + offset).AsSpan((offset * 7) % 4);
            var bias = Random(n, 80 + offset);
            foreach (bool withBias in new[] { true, false })
            {
                var y = Random(n, 3);   // overwritten, not added to
                VectorMatrixKernels.MultiplyAddBias(x, w, withBias ? bias : default, y, n, k);
                AssertClose(Reference(x, w, withBias ? bias : null, n, k), y, k, $"offset {offset}, bias {withBias}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyAddBiasReluKeepsThePreActivationAndItsRelu(int n, int k) => VectorPaths.ForEach(_ => MultiplyAddBiasReluKeepsThePreActivationAndItsReluOn(n, k));

    private static void MultiplyAddBiasReluKeepsThePreActivationAndItsReluOn(int n, int k)
    {
        for (int offset = 0; offset < 16; offset += 5)
        {
            ReadOnlySpan<float> w = Random(n * k + offset, 2 + offset).AsSpan(offset);
            var x = Random(k, 50 + offset);
            var bias = Random(n, 90 + offset);
            var pre = new float[n];
            var relu = new float[n];
            VectorMatrixKernels.MultiplyAddBiasRelu(x, w, bias, pre, relu, n, k);

            AssertClose(Reference(x, w, bias, n, k), pre, k, $"offset {offset}");
            for (int j = 0; j < n; j++) Assert.Equal(pre[j] < 0f ? 0f : pre[j], relu[j]);
        }
    }

    [Theory]
    [InlineData(128, 784)]
    [InlineData(130, 300)]
    [InlineData(257, 129)]
    [InlineData(40, 1000)]
    public void LayersSplitAcrossThreadsGiveTheBitsOfOneThread(int n, int k) => VectorPaths.ForEach(_ => LayersSplitAcrossThreadsGiveTheBitsOfOneThreadOn(n, k));

    private static void LayersSplitAcrossThreadsGiveTheBitsOfOneThreadOn(int n, int k)
    {
        int saved = KernelThreads.Parts;
        try
        {
            for (int offset = 0; offset < 16; offset += 3)
            {
                var w = Random(n * k + offset, 3 + offset).AsMemory(offset);
                var x = Random(k, 60 + offset);
                var bias = Random(n, 70 + offset);
                float[] Run(int parts)
                {
                    KernelThreads.Parts = parts;
                    var pre = new float[n];
                    var relu = new float[n];
                    VectorMatrixKernels.MultiplyAddBiasRelu(x, w.Span, bias, pre, relu, n, k);
                    return [.. pre, .. relu];
                }
                var one = Run(1);
                AssertClose(Reference(x, w.Span, bias, n, k), one.AsSpan(0, n).ToArray(), k, $"offset {offset}");
                for (int repeat = 0; repeat < 3; repeat++)
                {
                    Assert.Equal(one, Run(2));
                    Assert.Equal(one, Run(3));
                }
            }
        }
        finally
        {
            KernelThreads.Parts = saved;
        }
    }

    [Fact]
    public void ReluLetsNaNThroughAsTorchDoes() => VectorPaths.ForEach(_ => ReluLetsNaNThroughAsTorchDoesOn());

    private static void ReluLetsNaNThroughAsTorchDoesOn()
    {
        // Row 3 meets a NaN input weight; the others are plain. Nine rows: eight in the block, one alone.
        const int n = 9, k = 20;
        var w = Random(n * k, 4);
        w[3 * k + 5] = float.NaN;
        w[8 * k + 19] = float.NaN;
        var x = Random(k, 5);
        var pre = new float[n];
        var relu = new float[n];
        VectorMatrixKernels.MultiplyAddBiasRelu(x, w, default, pre, relu, n, k);
        Assert.True(float.IsNaN(relu[3]) && float.IsNaN(relu[8]));
        for (int j = 0; j < n; j++)
            if (j != 3 && j != 8) Assert.False(float.IsNaN(relu[j]));
    }

    [Fact]
    public void SpansShorterThanTheShapesAreRefusedNamingTheArgument()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => VectorMatrixKernels.MultiplyAddBias(new float[3], new float[8], default, new float[2], 2, 4)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => VectorMatrixKernels.MultiplyAddBias(new float[4], new float[7], default, new float[2], 2, 4)).ParamName);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => VectorMatrixKernels.MultiplyAddBias(new float[4], new float[8], new float[1], new float[2], 2, 4)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => VectorMatrixKernels.MultiplyAddBias(new float[4], new float[8], default, new float[1], 2, 4)).ParamName);
        Assert.Equal("activation", Assert.Throws<ArgumentException>(() => VectorMatrixKernels.MultiplyAddBiasRelu(new float[4], new float[8], default, new float[2], new float[1], 2, 4)).ParamName);
    }

    private static double[] Reference(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float[]? bias, int n, int k)
    {
        var expected = new double[n];
        for (int j = 0; j < n; j++)
        {
            double s = bias is null ? 0 : bias[j];
            for (int p = 0; p < k; p++) s += (double)w[j * k + p] * x[p];
            expected[j] = s;
        }
        return expected;
    }

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static void AssertClose(double[] expected, float[] actual, int depth, string what)
    {
        // Float sums of depth products of values in [-1, 1]: error grows about with sqrt(depth) ulps.
        double tolerance = 1e-5 * (1 + Math.Sqrt(depth));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"{what}, element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
