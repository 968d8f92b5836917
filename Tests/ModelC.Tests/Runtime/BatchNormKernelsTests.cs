using System;
using System.Linq;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>The batchnorm kernels against the double-precision formulas they vectorize, and the same bits at any thread count.</summary>
[Collection("KernelThreads")]
public sealed class BatchNormKernelsTests
{
    private const float Epsilon = 1e-5f, Momentum = 0.1f;

    private static float[] Values(Random random, int n, double scale, double offset = 0)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(offset + (random.NextDouble() * 2 - 1) * scale);
        return v;
    }

    [Theory]
    [InlineData(5, 3, 1)]    // features, fewer than a group of eight: value by value
    [InlineData(4, 19, 1)]   // two groups of eight channels in the lanes, three left over
    [InlineData(3, 4, 37)]   // image runs with scalar tails
    [InlineData(2, 2, 8)]
    public void TrainingPassesMatchTheDoubleFormulas(int batch, int channels, int inner)
    {
        var random = new Random(batch * 1000 + channels * 10 + inner);
        int n = batch * channels * inner;
        var x = Values(random, n, 2, 0.5);
        var weight = Values(random, channels, 1, 1);
        var bias = Values(random, channels, 1);
        var g = Values(random, n, 1);
        var runningMean = Values(random, channels, 1);
        var runningVar = Values(random, channels, 0.5, 1);
        var meanBefore = (float[])runningMean.Clone();
        var varBefore = (float[])runningVar.Clone();
        var y = new float[n];
        var dx = Values(random, n, 1);
        var dxBefore = (float[])dx.Clone();
        var dw = new float[channels];
        var db = new float[channels];
        BatchNormKernels.TrainingForward(x, weight, bias, runningMean, runningVar, y, batch, channels, inner, Epsilon, Momentum);
        BatchNormKernels.Backward(x, weight, g, dx, dw, db, batch, channels, inner, Epsilon);

        int count = batch * inner;
        for (int ch = 0; ch < channels; ch++)
        {
            var at = Enumerable.Range(0, batch).SelectMany(e => Enumerable.Range(0, inner).Select(i => (e * channels + ch) * inner + i)).ToArray();
            double mean = at.Average(i => (double)x[i]);
            double variance = at.Sum(i => (x[i] - mean) * (x[i] - mean)) / count;
            double rstd = 1 / Math.Sqrt(variance + Epsilon);
            double sumG = at.Sum(i => (double)g[i]), sumGN = at.Sum(i => g[i] * (x[i] - mean) * rstd);
            foreach (int i in at)
            {
                double normalized = (x[i] - mean) * rstd;
                Close(normalized * weight[ch] + bias[ch], y[i], $"y[{i}]");
                Close(weight[ch] * rstd * (g[i] - sumG / count - normalized * sumGN / count), dx[i] - dxBefore[i], $"dx[{i}]");
            }
            Close(sumGN, dw[ch], $"dweight[{ch}]");
            Close(sumG, db[ch], $"dbias[{ch}]");
            Close(0.9 * meanBefore[ch] + 0.1 * mean, runningMean[ch], $"running mean[{ch}]");
            Close(0.9 * varBefore[ch] + 0.1 * variance * count / (count - 1), runningVar[ch], $"running var[{ch}]");
        }
    }

    [Theory]
    [InlineData(3, 10, 1)]
    [InlineData(2, 3, 12)]
    public void InferenceUsesTheRunningStatistics(int batch, int channels, int inner)
    {
        var random = new Random(channels);
        int n = batch * channels * inner;
        var x = Values(random, n, 2);
        var weight = Values(random, channels, 1, 1);
        var bias = Values(random, channels, 1);
        var runningMean = Values(random, channels, 1);
        var runningVar = Values(random, channels, 0.5, 1);
        var y = new float[n];
        BatchNormKernels.InferenceForward(x, weight, bias, runningMean, runningVar, y, batch, channels, inner, Epsilon);
        for (int i = 0; i < n; i++)
        {
            int ch = i / inner % channels;
            Close((x[i] - runningMean[ch]) / Math.Sqrt(runningVar[ch] + Epsilon) * weight[ch] + bias[ch], y[i], $"y[{i}]");
        }
    }

    [Theory]
    [InlineData(64, 16, 64)]
    [InlineData(256, 203, 1)]
    public void TwoThreadsGiveTheBitsOfOne(int batch, int channels, int inner)
    {
        var random = new Random(batch + channels);
        int n = batch * channels * inner;
        var x = Values(random, n, 2, 0.3);
        var weight = Values(random, channels, 1, 1);
        var bias = Values(random, channels, 1);
        var g = Values(random, n, 1);
        ThreadCounts.AssertTwoGiveTheBitsOfOne(() =>
        {
            var runningMean = new float[channels];
            var runningVar = Enumerable.Repeat(1f, channels).ToArray();
            var y = new float[n];
            var dx = new float[n];
            var dw = new float[channels];
            var db = new float[channels];
            BatchNormKernels.TrainingForward(x, weight, bias, runningMean, runningVar, y, batch, channels, inner, Epsilon, Momentum);
            BatchNormKernels.Backward(x, weight, g, dx, dw, db, batch, channels, inner, Epsilon);
            var inference = new float[n];
            BatchNormKernels.InferenceForward(x, weight, bias, runningMean, runningVar, inference, batch, channels, inner, Epsilon);
            return new[] { runningMean, runningVar, y, dx, dw, db, inference };
        });
    }

    [Fact]
    public void ShortSpansAreRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => BatchNormKernels.Backward(new float[24], new float[3], new float[23], default, default, default, 2, 3, 4, Epsilon));
        Assert.Contains("'outputGradient' has 23 values but [2, 3, 4] needs 24", error.Message);
        error = Assert.Throws<ArgumentException>(() => BatchNormKernels.InferenceForward(new float[24], new float[3], new float[3], new float[2], new float[3], new float[24], 2, 3, 4, Epsilon));
        Assert.Contains("need 3 values each", error.Message);
    }

    private static void Close(double expected, float actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 2e-5 * Math.Max(1, Math.Abs(expected)), $"{what} = {actual}, expected {expected}");
}
