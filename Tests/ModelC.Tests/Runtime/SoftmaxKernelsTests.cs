using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>The softmax kernels against the double-precision formulas they vectorize, NaN handling, and the same bits at any thread count.</summary>
[Collection("KernelThreads")]
public sealed class SoftmaxKernelsTests
{
    private static float[] Values(Random random, int n, double scale)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return v;
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(3, 7, false)]
    [InlineData(2, 8, true)]
    [InlineData(5, 9, false)]
    [InlineData(4, 37, true)]
    [InlineData(3, 100, false)]
    [InlineData(2, 1000, true)]
    public void ForwardAndBackwardMatchTheDoubleFormulas(int rows, int length, bool log)
    {
        var random = new Random(rows * 1000 + length);
        var x = Values(random, rows * length, 8);
        var g = Values(random, rows * length, 1);
        var gx = Values(random, rows * length, 1);
        var before = (float[])gx.Clone();
        var y = new float[x.Length];
        SoftmaxKernels.Forward(x, y, rows, length, log);
        SoftmaxKernels.Backward(y, g, gx, rows, length, log);

        for (int r = 0; r < rows; r++)
        {
            var row = new ReadOnlySpan<float>(x, r * length, length);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            var p = new double[length];
            double gSum = 0, gDotP = 0;
            for (int k = 0; k < length; k++)
            {
                p[k] = Math.Exp(row[k] - max) / sum;
                gSum += g[r * length + k];
                gDotP += g[r * length + k] * p[k];
            }
            for (int k = 0; k < length; k++)
            {
                int i = r * length + k;
                double expected = log ? row[k] - max - Math.Log(sum) : p[k];
                Assert.True(Math.Abs(y[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"y[{r}, {k}] = {y[i]}, expected {expected}");
                double gradient = log ? g[i] - p[k] * gSum : p[k] * (g[i] - gDotP);
                Assert.True(Math.Abs(gx[i] - before[i] - gradient) <= 2e-6, $"gx[{r}, {k}] added {gx[i] - before[i]}, expected {gradient}");
            }
        }
    }

    [Fact]
    public void AVeryNegativeValueGivesZeroAndANaNSpoilsOnlyItsRow()
    {
        var x = new float[] { 0, -1e30f, 1, 2, 3, 4, 5, 6, 7, 8, /* row 2 */ 0, 1, float.NaN, 3, 4, 5, 6, 7, 8, 9 };
        var y = new float[x.Length];
        SoftmaxKernels.Forward(x, y, 2, 10, log: false);
        Assert.Equal(0f, y[1]);
        float sum = 0;
        for (int k = 0; k < 10; k++) sum += y[k];
        Assert.True(Math.Abs(sum - 1) < 1e-6, $"row 1 sums to {sum}");
        for (int k = 10; k < 20; k++) Assert.True(float.IsNaN(y[k]), $"y[{k}] = {y[k]}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TwoThreadsGiveTheBitsOfOne(bool log)
    {
        const int rows = 700, length = 65;
        var random = new Random(log ? 1 : 2);
        var x = Values(random, rows * length, 6);
        var g = Values(random, rows * length, 1);
        ThreadCounts.AssertTwoGiveTheBitsOfOne(() =>
        {
            var y = new float[x.Length];
            var gx = new float[x.Length];
            SoftmaxKernels.Forward(x, y, rows, length, log);
            SoftmaxKernels.Backward(y, g, gx, rows, length, log);
            return new[] { y, gx };
        });
    }

    [Fact]
    public void ShortSpansAreRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => SoftmaxKernels.Forward(new float[20], new float[19], 2, 10, log: false));
        Assert.Contains("'y' has 19 values but [2, 10] needs 20", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxKernels.Backward(new float[4], new float[4], new float[4], 1, 0, log: true));
    }
}
