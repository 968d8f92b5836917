using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>The layernorm kernel against the double-precision formulas it vectorizes, and the same bits at any thread count.</summary>
[Collection("KernelThreads")]
public sealed class LayerNormKernelsTests
{
    [Theory]
    [InlineData(2048, 64)]
    [InlineData(1000, 45)]
    public void TwoThreadsGiveTheBitsOfOne(int rows, int features)
    {
        var random = new Random(rows);
        float[] Values(int n) { var v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float)(random.NextDouble() * 2 - 1); return v; }
        var x = Values(rows * features);
        var weight = Values(features);
        var bias = Values(features);
        var g = Values(rows * features);
        ThreadCounts.AssertTwoGiveTheBitsOfOne(() =>
        {
            var y = new float[x.Length];
            var dx = new float[x.Length];
            var dw = new float[features];
            var db = new float[features];
            LayerNormKernels.Forward(x, weight, bias, y, rows, features, 1e-5f);
            LayerNormKernels.Backward(x, weight, g, dx, dw, db, rows, features, 1e-5f);
            return new[] { y, dx, dw, db };
        });
    }

    // Rows are normalized several at a time, side by side; each row must still get the bits it gets
    // alone, and the parameter gradients the bits of summing rows in order within groups of 64.
    [Theory]
    [InlineData(2048, 64)]
    [InlineData(67, 45)]
    [InlineData(9, 8)]
    [InlineData(5, 3)]
    public void RowsTakenTogetherGiveTheBitsOfRowsTakenAlone(int rows, int features)
    {
        var random = new Random(rows + features);
        float[] Values(int n) { var v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float)(random.NextDouble() * 4 - 1.5); return v; }
        var x = Values(rows * features);
        var weight = Values(features);
        var bias = Values(features);
        var g = Values(rows * features);
        var ones = new float[features];
        Array.Fill(ones, 1f);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        var dw = new float[features];
        var db = new float[features];
        LayerNormKernels.Forward(x, weight, bias, y, rows, features, 1e-5f);
        LayerNormKernels.Backward(x, weight, g, dx, dw, db, rows, features, 1e-5f);

        var normalized = new float[x.Length];
        var expectedDw = new float[features];
        var expectedDb = new float[features];
        var partialDw = new float[features];
        var partialDb = new float[features];
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * features, features);
            var aloneY = new float[features];
            var aloneDx = new float[features];
            LayerNormKernels.Forward(row, weight, bias, aloneY, 1, features, 1e-5f);
            LayerNormKernels.Backward(row, weight, g.AsSpan(r * features, features), aloneDx, default, default, 1, features, 1e-5f);
            AssertBits(aloneY, y.AsSpan(r * features, features).ToArray());
            AssertBits(aloneDx, dx.AsSpan(r * features, features).ToArray());
            LayerNormKernels.Forward(row, ones, new float[features], normalized.AsSpan(r * features, features), 1, features, 1e-5f);
            for (int k = 0; k < features; k++)
            {
                partialDw[k] = MathF.FusedMultiplyAdd(g[r * features + k], normalized[r * features + k], partialDw[k]);
                partialDb[k] += g[r * features + k];
            }
            if (r % 64 == 63 || r == rows - 1)
            {
                for (int k = 0; k < features; k++) { expectedDw[k] += partialDw[k]; expectedDb[k] += partialDb[k]; }
                Array.Clear(partialDw);
                Array.Clear(partialDb);
            }
        }
        AssertBits(expectedDw, dw);
        AssertBits(expectedDb, db);
    }

    private static void AssertBits(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 37)]
    [InlineData(4, 64)]
    [InlineData(130, 20)]
    public void ForwardAndBackwardMatchTheDoubleFormulas(int rows, int features)
    {
        var random = new Random(rows * 100 + features);
        float[] Values(int n, double scale) { var v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float)((random.NextDouble() * 2 - 1) * scale); return v; }
        var x = Values(rows * features, 3);
        var weight = Values(features, 1);
        var bias = Values(features, 1);
        var g = Values(rows * features, 1);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        var dw = new float[features];
        var db = new float[features];
        LayerNormKernels.Forward(x, weight, bias, y, rows, features, 1e-5f);
        LayerNormKernels.Backward(x, weight, g, dx, dw, db, rows, features, 1e-5f);
        var onlyWeight = new float[features];
        LayerNormKernels.Backward(x, weight, g, default, onlyWeight, default, rows, features, 1e-5f);
        Assert.Equal(dw, onlyWeight);

        var expectedDw = new double[features];
        var expectedDb = new double[features];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (int k = 0; k < features; k++) mean += x[r * features + k];
            mean /= features;
            for (int k = 0; k < features; k++) variance += Math.Pow(x[r * features + k] - mean, 2);
            double rstd = 1 / Math.Sqrt(variance / features + 1e-5);
            double sumH = 0, sumHX = 0;
            for (int k = 0; k < features; k++)
            {
                double n = (x[r * features + k] - mean) * rstd, h = g[r * features + k] * weight[k];
                Assert.Equal(n * weight[k] + bias[k], y[r * features + k], 1e-5);
                sumH += h;
                sumHX += h * n;
                expectedDw[k] += g[r * features + k] * n;
                expectedDb[k] += g[r * features + k];
            }
            for (int k = 0; k < features; k++)
            {
                double n = (x[r * features + k] - mean) * rstd;
                double expected = rstd * (g[r * features + k] * weight[k] - sumH / features - n * sumHX / features);
                Assert.Equal(expected, dx[r * features + k], 2e-5);
            }
        }
        for (int k = 0; k < features; k++)
        {
            Assert.Equal(expectedDw[k], dw[k], 1e-5);
            Assert.Equal(expectedDb[k], db[k], 1e-5);
        }
    }
}
