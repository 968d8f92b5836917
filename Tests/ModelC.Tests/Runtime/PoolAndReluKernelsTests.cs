using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

// Shares KernelThreads.Parts with the other kernel tests, so they never run at once.
[Collection("KernelThreads")]
public sealed class PoolAndReluKernelsTests
{
    // batch, channels, height, width, kernel, stride: LeNet's pools (2 x 2 by 2 from row pairs:
    // forward eight windows at a time from rows of 16 or four from rows of 8, backward four at a
    // time, with overlapping last groups), the same with odd sizes and rows of exactly four
    // windows, gathered windows (3 x 3, and 2 x 2 by 1) with a partial last eight, and planes of
    // fewer than eight windows (plain loops).
    [Theory]
    [InlineData(64, 6, 28, 28, 2, 2)]
    [InlineData(9, 16, 10, 10, 2, 2)]
    [InlineData(2, 3, 17, 19, 2, 2)]
    [InlineData(1, 2, 32, 32, 2, 2)]
    [InlineData(2, 3, 7, 11, 2, 2)]
    [InlineData(3, 2, 6, 9, 2, 2)]
    [InlineData(2, 2, 13, 12, 3, 3)]
    [InlineData(3, 2, 9, 11, 2, 2)]
    [InlineData(3, 2, 7, 9, 2, 1)]
    [InlineData(2, 3, 9, 8, 3, 2)]
    [InlineData(4, 2, 5, 5, 2, 2)]
    [InlineData(1, 1, 3, 3, 3, 3)]
    public void MaxPoolingKeepsEachWindowsMaximumAndSendsTheGradientToItsFirstMaximum(int batch, int channels, int height, int width, int kernel, int stride)
    {
        int oh = (height - kernel) / stride + 1, ow = (width - kernel) / stride + 1;
        var random = new Random(batch * 100 + height);
        var x = new float[batch * channels * height * width];
        // Few distinct values, so windows hold ties; a NaN and a -0 / +0 pair exercise MathF.Max's rules.
        for (int i = 0; i < x.Length; i++) x[i] = random.Next(5) - 2;
        x[3] = float.NaN; x[^1] = -0f;
        var y = new float[batch * channels * oh * ow];
        var dy = new float[y.Length];
        for (int i = 0; i < dy.Length; i++) dy[i] = (float)random.NextDouble();
        var dx = new float[x.Length];
        for (int i = 0; i < dx.Length; i++) dx[i] = (float)random.NextDouble();
        var expectedY = new float[y.Length];
        var expectedDx = (float[])dx.Clone();
        for (int plane = 0; plane < batch * channels; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float best = float.NegativeInfinity;
                    for (int kh = 0; kh < kernel; kh++)
                        for (int kw = 0; kw < kernel; kw++) best = MathF.Max(best, x[(plane * height + i * stride + kh) * width + j * stride + kw]);
                    expectedY[(plane * oh + i) * ow + j] = best;
                    bool found = false;
                    for (int kh = 0; kh < kernel && !found; kh++)
                        for (int kw = 0; kw < kernel && !found; kw++)
                        {
                            int at = (plane * height + i * stride + kh) * width + j * stride + kw;
                            if (x[at] == best) { expectedDx[at] += dy[(plane * oh + i) * ow + j]; found = true; }
                        }
                }

        PoolKernels.MaxForward(x, y, batch, channels, height, width, kernel, stride);
        PoolKernels.MaxBackward(x, y, dy, dx, batch, channels, height, width, kernel, stride);

        Assert.Equal(expectedY, y);
        Assert.Equal(expectedDx, dx);
    }

    // Disjoint windows (batch, channels, height, width, kernel, stride): LeNet's pools (four windows at a
    // time from row pairs), windows that cover the plane and ones that leave its last row and column
    // out (17 x 19, 5 x 5), gathered 3 x 3 windows, and plain loops.
    public static TheoryData<int, int, int, int, int, int> DisjointWindows => new()
    {
        { 64, 6, 28, 28, 2, 2 },
        { 9, 16, 10, 10, 2, 2 },
        { 2, 3, 17, 19, 2, 2 },
        { 2, 2, 13, 12, 3, 3 },
        { 4, 2, 5, 5, 2, 2 },
        { 1, 1, 3, 3, 3, 3 },
    };

    [Theory]
    [MemberData(nameof(DisjointWindows))]
    public void PoolingThroughReluGivesTheBitsOfPoolingThenRelu(int batch, int channels, int height, int width, int kernel, int stride)
    {
        int oh = (height - kernel) / stride + 1, ow = (width - kernel) / stride + 1;
        var random = new Random(batch * 100 + height + 7);
        // Pre-activations with ties, zeros and negatives (windows whose maximum relu is 0), a NaN and a -0.
        var x = new float[batch * channels * height * width];
        for (int i = 0; i < x.Length; i++) x[i] = random.Next(5) - 3;
        x[5] = float.NaN; x[^2] = -0f;
        var relu = new float[x.Length];
        ActivationKernels.Relu(x, relu);
        var y = new float[batch * channels * oh * ow];
        PoolKernels.MaxForward(relu, y, batch, channels, height, width, kernel, stride);
        var dy = new float[y.Length];
        for (int i = 0; i < dy.Length; i++) dy[i] = (float)random.NextDouble();
        var dx = new float[x.Length];
        for (int i = 0; i < dx.Length; i++) dx[i] = (float)random.NextDouble();
        var expected = (float[])dx.Clone();
        var reluGradient = new float[x.Length];
        PoolKernels.MaxBackward(relu, y, dy, reluGradient, batch, channels, height, width, kernel, stride);
        ReluKernels.Backward(x, reluGradient, expected);

        PoolKernels.MaxBackwardThroughRelu(relu, y, dy, dx, batch, channels, height, width, kernel, stride);

        Assert.Equal(expected, dx);
    }

    // Windows that cover the plane are written in one pass; the others are cleared, then added to.
    [Theory]
    [MemberData(nameof(DisjointWindows))]
    public void PoolingThroughReluWrittenGivesTheBitsOfAddingIntoZeros(int batch, int channels, int height, int width, int kernel, int stride)
    {
        int oh = (height - kernel) / stride + 1, ow = (width - kernel) / stride + 1;
        var random = new Random(batch * 100 + height + 11);
        var relu = new float[batch * channels * height * width];
        for (int i = 0; i < relu.Length; i++) relu[i] = Math.Max(random.Next(5) - 3, 0);
        var y = new float[batch * channels * oh * ow];
        PoolKernels.MaxForward(relu, y, batch, channels, height, width, kernel, stride);
        // Gradients with a -0, which adding into zeros turns into +0.
        var dy = new float[y.Length];
        for (int i = 0; i < dy.Length; i++) dy[i] = random.Next(3) == 0 ? -0f : (float)random.NextDouble();
        var expected = new float[relu.Length];
        PoolKernels.MaxBackwardThroughRelu(relu, y, dy, expected, batch, channels, height, width, kernel, stride);
        var dx = new float[relu.Length];
        Array.Fill(dx, float.NaN);

        PoolKernels.MaxBackwardThroughRelu(relu, y, dy, dx, batch, channels, height, width, kernel, stride, overwrite: true);

        Assert.Equal(BitsOf(expected), BitsOf(dx));
    }

    private static int[] BitsOf(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    [Fact]
    public void ReluPassesNaNForwardAndSendsGradientsOnlyWherePositive()
    {
        // Long enough to be cut into several blocks and shared across threads.
        var random = new Random(3);
        var x = new float[200_003];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() - 0.5);
        x[5] = float.NaN; x[6] = -0f; x[7] = 0f;
        var dy = new float[x.Length];
        for (int i = 0; i < dy.Length; i++) dy[i] = (float)random.NextDouble();
        dy[5] = 1f; dy[6] = float.NaN;
        var dx = new float[x.Length];
        for (int i = 0; i < dx.Length; i++) dx[i] = 1f;
        var y = new float[x.Length];

        ReluKernels.Forward(x, y);
        ReluKernels.Backward(x, dy, dx);

        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(float.IsNaN(x[i]) ? float.NaN : Math.Max(x[i], 0f), y[i]);
            Assert.Equal(x[i] > 0f ? 1f + dy[i] : 1f, dx[i]);
        }
        Assert.True(float.IsNaN(y[5]));
        var error = Assert.Throws<ArgumentException>(() => ReluKernels.Backward(x, dy, new float[3]));
        Assert.Equal("xGradient", error.ParamName);
    }
}
