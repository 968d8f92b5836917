using System;
using System.Numerics.Tensors;
using ModelC.Runtime.Kernels;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// Adam's update and long sums of squares are shared with the kernel workers: one, two and three
/// threads must give the same bits, on each vector path, and short sums stay TensorPrimitives'.
/// </summary>
[Collection("KernelThreads")]
public sealed class SharedUpdateKernelsTests
{
    [Theory]
    [InlineData(37)]
    [InlineData(16384)]
    [InlineData(100_003)]
    public void AdamStepsGiveTheSameBitsAtOneTwoAndThreeThreads(int n)
    {
        VectorPaths.ForEach(_ =>
        {
            float[] one = AdamSteps(n, parts: 1);
            Assert.Equal(one, AdamSteps(n, parts: 2));
            Assert.Equal(one, AdamSteps(n, parts: 3));
        });
    }

    [Theory]
    [InlineData(5)]
    [InlineData(8192)]
    public void ShortSumsOfSquaresAreTensorPrimitives(int n)
    {
        var x = Values(n, 3);
        Assert.Equal(TensorPrimitives.SumOfSquares(x), VectorKernels.SumOfSquares(x));
    }

    [Theory]
    [InlineData(8193)]
    [InlineData(110_000)]
    [InlineData(3_000_017)]
    public void LongSumsOfSquaresAreTheSameAtAnyThreadCountAndCloseToTheDoubleSum(int n)
    {
        var x = Values(n, 4);
        double exact = 0;
        foreach (float v in x) exact += (double)v * v;
        float one = WithParts(1, () => VectorKernels.SumOfSquares(x));
        Assert.Equal(one, WithParts(2, () => VectorKernels.SumOfSquares(x)));
        Assert.Equal(one, WithParts(3, () => VectorKernels.SumOfSquares(x)));
        Assert.InRange(Math.Abs(one - exact) / exact, 0, 1e-5);
    }

    [Fact]
    public void ClipNormIsTheSameAtAnyThreadCount()
    {
        float[] Clipped(int parts)
        {
            var g = Values(200_000, 5);
            WithParts(parts, () => GradientClipping.ClipNorm(g, 1f));
            return g;
        }

        float[] one = Clipped(1);
        Assert.Equal(one, Clipped(2));
        Assert.Equal(one, Clipped(3));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(70_001)]
    [InlineData(1_010_368)]
    public void ClearZeroesTheSpanAndNothingBeyondItAtAnyThreadCount(int n)
    {
        foreach (int parts in new[] { 1, 2, 3 })
        {
            var x = Values(n + 5, 6);
            WithParts(parts, () => VectorKernels.Clear(x.AsSpan(0, n)));
            for (int i = 0; i < n; i++) Assert.Equal(0f, x[i]);
            Assert.Equal(Values(n + 5, 6)[n..], x[n..]);
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(70_001)]
    [InlineData(131_072)]
    public void AddAndAddToAreTheElementwiseSumsAtAnyThreadCount(int n)
    {
        var x = Values(n, 7);
        var y = Values(n, 8);
        var expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = x[i] + y[i];
        foreach (int parts in new[] { 1, 2, 3 })
        {
            var sum = new float[n];
            WithParts(parts, () => VectorKernels.Add(x, y, sum));
            Assert.Equal(expected, sum);
            var into = (float[])y.Clone();
            WithParts(parts, () => VectorKernels.AddTo(x, into));
            Assert.Equal(expected, into);
        }
    }

    [Fact]
    public void RowKernelsGiveTheBitsOfTheGeneratedLoops()
    {
        // An embedding's gather and its gradient's scatter-add (rows picked twice add in pick order), and a batch-wide row added to every example.
        const int rows = 7, rowSize = 20, picks = 50;
        var table = Values(rows * rowSize, 9);
        var ids = new int[picks];
        var random = new System.Random(4);
        for (int p = 0; p < picks; p++) ids[p] = random.Next(rows);
        var gathered = new float[picks * rowSize];
        VectorKernels.GatherRows(table, ids, gathered, picks, rowSize);
        for (int p = 0; p < picks; p++)
            for (int k = 0; k < rowSize; k++) Assert.Equal(table[ids[p] * rowSize + k], gathered[p * rowSize + k]);

        var outputGradient = Values(picks * rowSize, 10);
        var expected = Values(rows * rowSize, 11);
        var actual = (float[])expected.Clone();
        for (int p = 0; p < picks; p++)
            for (int k = 0; k < rowSize; k++) expected[ids[p] * rowSize + k] += outputGradient[p * rowSize + k];
        VectorKernels.ScatterAddRows(outputGradient, ids, actual, picks, rowSize);
        Assert.Equal(expected, actual);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => VectorKernels.GatherRows(table, new[] { rows }, gathered, 1, rowSize));

        var row = Values(rowSize, 12);
        var sum = new float[picks * rowSize];
        VectorKernels.AddRow(gathered, row, sum, picks);
        for (int p = 0; p < picks; p++)
            for (int k = 0; k < rowSize; k++) Assert.Equal(gathered[p * rowSize + k] + row[k], sum[p * rowSize + k]);
    }

    private static float[] AdamSteps(int n, int parts)
    {
        var p = Values(n, 1);
        var adam = new Adam(lr: 1e-2f);
        for (int step = 0; step < 3; step++)
        {
            var g = Values(n, 10 + step);
            WithParts(parts, () => adam.Step(p, g));
        }
        return p;
    }

    private static void WithParts(int parts, Action action) => WithParts(parts, () => { action(); return 0; });

    private static T WithParts<T>(int parts, Func<T> action)
    {
        int saved = KernelThreads.Parts;
        KernelThreads.Parts = parts;
        try { return action(); }
        finally { KernelThreads.Parts = saved; }
    }

    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
