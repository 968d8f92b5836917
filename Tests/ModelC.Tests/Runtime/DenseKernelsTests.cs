using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

// Shares KernelThreads.Parts with ParallelDeterminismTests, so the two never run at once.
[Collection("KernelThreads")]
public sealed class DenseKernelsTests
{
    // Shapes that hit every path: the 4x4 / 8x32 blocks, their row and column tails, k tails, and
    // products large enough to be split across threads; from 16 rows on, the packed 12x32 and 4x32
    // (AVX-512) or 6x16 (AVX2) kernels with partial panels, and more than one row, column and depth
    // block (120, 1024, 256); A read in place up to 512 rows or 256 deep, and packed when both are exceeded.
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 10, 64 }, { 3, 5, 7 }, { 4, 4, 16 }, { 5, 9, 17 }, { 8, 32, 256 },
        { 9, 33, 257 }, { 64, 128, 784 }, { 17, 784, 128 }, { 10, 64, 130 }, { 70, 100, 300 },
        { 16, 32, 256 }, { 24, 31, 1 }, { 131, 1041, 259 }, { 515, 33, 70 }, { 520, 40, 300 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposedAddsTheProductToTheOutput(int m, int n, int k) => VectorPaths.ForEach(_ => MultiplyTransposedAddsTheProductToTheOutputOn(m, n, k));

    private static void MultiplyTransposedAddsTheProductToTheOutputOn(int m, int n, int k)
    {
        var a = Random(m * k, 1); var w = Random(n * k, 2); var c = Random(m * n, 3);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = c[i * n + j];
                for (int p = 0; p < k; p++) s += (double)a[i * k + p] * w[j * k + p];
                expected[i * n + j] = s;
            }

        DenseKernels.MultiplyTransposed(a, w, c, m, n, k);

        AssertClose(expected, c, k);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    [InlineData(2048, 192, 64)]
    [InlineData(2048, 60, 64)]
    [InlineData(40, 70, 600)]
    public void MultiplyTransposedFromABiasGivesTheBitsOfFillingTheRowsFirstAtAnyThreadCount(int m, int n, int k) =>
        VectorPaths.ForEach(_ =>
        {
            // The fused bias must not read c: start it from values that would show through.
            var a = Random(m * k, 17); var w = Random(n * k, 18); var bias = Random(n, 19);
            var expected = new float[m * n];
            DenseKernels.FillRows(bias, expected, m);
            DenseKernels.MultiplyTransposed(a, w, expected, m, n, k);
            int saved = KernelThreads.Parts;
            try
            {
                foreach (int parts in new[] { 1, 2, 3 })
                {
                    KernelThreads.Parts = parts;
                    var c = Random(m * n, 20);
                    DenseKernels.MultiplyTransposed(a, w, bias, c, m, n, k);
                    Assert.Equal(expected, c);
                }
            }
            finally { KernelThreads.Parts = saved; }
        });

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyAddsTheProductWithARowMajorOrTransposedLeftOperand(int m, int n, int k) => VectorPaths.ForEach(_ => MultiplyAddsTheProductWithARowMajorOrTransposedLeftOperandOn(m, n, k));

    private static void MultiplyAddsTheProductWithARowMajorOrTransposedLeftOperandOn(int m, int n, int k)
    {
        var a = Random(m * k, 4); var b = Random(k * n, 5);
        foreach (bool transposed in new[] { false, true })
        {
            var c = Random(m * n, 6);
            var expected = new double[m * n];
            int rowStride = transposed ? 1 : k, columnStride = transposed ? m : 1;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = c[i * n + j];
                    for (int p = 0; p < k; p++) s += (double)a[i * rowStride + p * columnStride] * b[p * n + j];
                    expected[i * n + j] = s;
                }

            DenseKernels.Multiply(a, rowStride, columnStride, b, c, m, n, k);

            AssertClose(expected, c, k);
        }
    }

    [Fact]
    public void ColumnSumsAndRowFillsAreExact()
    {
        float[] g = [1, 2, 3, 4, 5, 6];
        float[] sums = [10, 20, 30];
        DenseKernels.AddColumnSums(g, sums, rows: 2, columns: 3);
        Assert.Equal([15f, 27f, 39f], sums);

        var c = new float[6];
        DenseKernels.FillRows([7f, 8f, 9f], c, rows: 2);
        Assert.Equal([7f, 8f, 9f, 7f, 8f, 9f], c);
    }

    [Theory]
    [InlineData(2048, 256)]
    [InlineData(2048, 60)]
    [InlineData(37, 45)]
    [InlineData(3, 5)]
    public void ColumnSumsAreTheRowOrderSumsBitForBitAtAnyThreadCount(int rows, int columns)
    {
        var random = new Random(rows + columns);
        var g = new float[rows * columns];
        for (int i = 0; i < g.Length; i++) g[i] = (float)(random.NextDouble() * 2 - 1);
        var start = new float[columns];
        for (int j = 0; j < columns; j++) start[j] = (float)random.NextDouble();
        // What the kernel did before: one row added after the other.
        var expected = (float[])start.Clone();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) expected[j] += g[i * columns + j];
        ThreadCounts.AtOneAndTwo(() =>
        {
            var sums = (float[])start.Clone();
            DenseKernels.AddColumnSums(g, sums, rows, columns);
            Assert.Equal(expected, sums);
        });
        var row = new float[columns];
        for (int j = 0; j < columns; j++) row[j] = j + 0.5f;
        var filled = new float[rows * columns];
        DenseKernels.FillRows(row, filled, rows);
        for (int i = 0; i < rows; i++) Assert.Equal(row, filled.AsSpan(i * columns, columns).ToArray());
    }

    [Fact]
    public void SpansShorterThanTheShapesAreRefusedNamingTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => DenseKernels.MultiplyTransposed(new float[5], new float[6], new float[4], 2, 2, 3));
        Assert.Equal("a", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => DenseKernels.Multiply(new float[6], 1, 2, new float[5], new float[4], 2, 2, 3));
        Assert.Equal("b", error.ParamName);
    }

    [Theory]
    [InlineData(64, 128, 784)]
    [InlineData(128, 784, 64)]
    [InlineData(256, 256, 256)]
    [InlineData(130, 1100, 300)]
    public void TwoThreadsGiveBitIdenticalResultsToOneThread(int m, int n, int k) => VectorPaths.ForEach(_ => TwoThreadsGiveBitIdenticalResultsToOneThreadOn(m, n, k));

    private static void TwoThreadsGiveBitIdenticalResultsToOneThreadOn(int m, int n, int k)
    {
        var a = Random(m * k, 7); var w = Random(n * k, 8); var b = Random(k * n, 9);
        float[] Run(int parts, Func<float[], float[]> product)
        {
            int saved = KernelThreads.Parts;
            KernelThreads.Parts = parts;
            try { return product(new float[m * n]); }
            finally { KernelThreads.Parts = saved; }
        }
        float[] Forward(float[] c) { DenseKernels.MultiplyTransposed(a, w, c, m, n, k); return c; }
        float[] Backward(float[] c) { DenseKernels.Multiply(a, 1, m, b, c, m, n, k); return c; }

        var forwardOne = Run(1, Forward);
        var backwardOne = Run(1, Backward);
        for (int repeat = 0; repeat < 5; repeat++)
        {
            Assert.Equal(forwardOne, Run(2, Forward));
            Assert.Equal(backwardOne, Run(2, Backward));
            Assert.Equal(forwardOne, Run(3, Forward));
        }
    }

    // Packed products with at least four times more rows than columns, large enough to split, are
    // split by rows: CharGpt's [2048, 64] and [2048, 256] activations and gradients, a weight gradient
    // 2,048 deep, a product 300 deep (A read in place per row chunk, packed when whole), and one whose
    // last row chunk (4 of 100 rows) is smaller than the packed products' minimum.
    [Theory]
    [InlineData(2048, 60, 64)]
    [InlineData(2048, 64, 256)]
    [InlineData(256, 64, 2048)]
    [InlineData(600, 40, 300)]
    [InlineData(100, 20, 70)]
    public void ProductsSplitByRowsAddTheProductAndGiveTheBitsOfOneThread(int m, int n, int k) => VectorPaths.ForEach(_ =>
    {
        var a = Random(m * k, 21); var w = Random(n * k, 22); var b = Random(k * n, 23); var bias = Random(n, 24); var start = Random(m * n, 25);
        var forward = new double[m * n];
        var backward = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double f = bias[j], g = start[i * n + j];
                for (int p = 0; p < k; p++)
                {
                    f += (double)a[i * k + p] * w[j * k + p];
                    g += (double)a[p * m + i] * b[p * n + j];
                }
                forward[i * n + j] = f;
                backward[i * n + j] = g;
            }
        ThreadCounts.AssertTwoGiveTheBitsOfOne(() =>
        {
            var c = new float[m * n];
            DenseKernels.MultiplyTransposed(a, w, bias, c, m, n, k);
            AssertClose(forward, c, k);
            // A read transposed (a weight gradient's dYᵀ) and rows contiguous along the depth (an input gradient's dY).
            var transposed = (float[])start.Clone();
            DenseKernels.Multiply(a, 1, m, b, transposed, m, n, k);
            AssertClose(backward, transposed, k);
            var rowMajor = (float[])start.Clone();
            DenseKernels.Multiply(a, k, 1, b, rowMajor, m, n, k);
            return [c, transposed, rowMajor];
        });
    });

    [Theory]
    [InlineData(16, 32, 256)]
    [InlineData(17, 33, 257)]
    [InlineData(70, 100, 300)]
    [InlineData(131, 1041, 259)]
    public void ThePackedAvx2AndAvx512PathsGiveBitIdenticalResults(int m, int n, int k)
    {
        // Both packed micro-kernels sum each element as one FMA chain per depth block, in depth order.
        if (!(System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported)) return;
        var a = Random(m * k, 10); var w = Random(n * k, 11); var b = Random(k * n, 12);
        float[] Run(VectorPath path, bool forward, bool transposed)
        {
            using var forced = KernelPath.Force(path);
            var c = Random(m * n, 13);
            if (forward) DenseKernels.MultiplyTransposed(a, w, c, m, n, k);
            else DenseKernels.Multiply(a, transposed ? 1 : k, transposed ? m : 1, b, c, m, n, k);
            return c;
        }
        foreach (var (forward, transposed) in new[] { (true, false), (false, false), (false, true) })
            Assert.Equal(Run(VectorPath.Avx512, forward, transposed), Run(VectorPath.Avx2, forward, transposed));
    }

    [Theory]
    [InlineData(16, 40, 300)]
    [InlineData(64, 128, 784)]
    public void AWeightPackedOnceGivesTheSameBitsAsPackingItPerProduct(int m, int n, int k)
    {
        VectorPaths.ForEach(path =>
        {
            var a = Random(m * k, 14); var w = Random(n * k, 15); var g = Random(m * k, 16);
            var c = new float[m * n];
            DenseKernels.MultiplyTransposed(a, w, c, m, n, k);
            var dx = new float[m * k];
            DenseKernels.Multiply(c, n, 1, w, dx, m, k, n);
            if (!DenseKernels.Packs(m)) { Assert.Equal(VectorPath.Portable, path); return; }
            unsafe
            {
                // w [n, k] packed as the forward product's transposed B, then as the input gradient's row-major B [n, k].
                var packed = new float[Math.Max(DenseKernels.PackedWeightSize(n, k), DenseKernels.PackedWeightSize(k, n))];
                fixed (float* p = packed)
                {
                    var cPacked = new float[m * n];
                    DenseKernels.PackWeight(w, rowMajor: false, n, k, p);
                    DenseKernels.MultiplyTransposed(a, w, p, cPacked, m, n, k);
                    Assert.Equal(c, cPacked);
                    var dxPacked = new float[m * k];
                    DenseKernels.PackWeight(w, rowMajor: true, k, n, p);
                    DenseKernels.Multiply(c, n, 1, w, p, dxPacked, m, k, n);
                    Assert.Equal(dx, dxPacked);
                }
            }
        });
    }

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static void AssertClose(double[] expected, float[] actual, int depth)
    {
        // Float sums of depth products of values in [-1, 1]: error grows about with sqrt(depth) ulps.
        double tolerance = 1e-5 * (1 + Math.Sqrt(depth));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
