using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>ElementwiseKernels' subtraction and multiplication replace generated scalar loops, so each pass is compared with that loop bit for bit.</summary>
public sealed class SubtractMultiplyKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(37)]
    [InlineData(4099)]
    public void EveryPassIsTheScalarLoopBitForBit(int n)
    {
        var random = new Random(n);
        float[] Values() { var v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float)(random.NextDouble() * 6 - 3); return v; }
        float[] a = Values(), b = Values(), g = Values(), start = Values();

        var y = new float[n];
        ElementwiseKernels.Subtract(a, b, y);
        for (int i = 0; i < n; i++) AssertBits(a[i] - b[i], y[i]);
        ElementwiseKernels.Multiply(a, b, y);
        for (int i = 0; i < n; i++) AssertBits(a[i] * b[i], y[i]);

        float[] ga = (float[])start.Clone(), gb = (float[])start.Clone();
        ElementwiseKernels.SubtractBackward(g, ga, gb);
        for (int i = 0; i < n; i++)
        {
            AssertBits(start[i] + g[i] * 1f, ga[i]);
            AssertBits(start[i] + g[i] * -1f, gb[i]);
        }
        ga = (float[])start.Clone();
        gb = (float[])start.Clone();
        ElementwiseKernels.MultiplyBackward(a, b, g, ga, gb);
        for (int i = 0; i < n; i++)
        {
            AssertBits(start[i] + g[i] * b[i], ga[i]);
            AssertBits(start[i] + g[i] * a[i], gb[i]);
        }
        // Only one operand's gradient wanted.
        gb = (float[])start.Clone();
        ElementwiseKernels.MultiplyBackward(a, b, g, default, gb);
        for (int i = 0; i < n; i++) AssertBits(start[i] + g[i] * a[i], gb[i]);
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ElementwiseKernels.Multiply(new float[4], new float[5], new float[4]));
        Assert.Contains("4 and 5 values", error.Message);
        error = Assert.Throws<ArgumentException>(() => ElementwiseKernels.SubtractBackward(new float[4], new float[3], default));
        Assert.Contains("the operands have 3 and 4 values", error.Message);
    }

    private static void AssertBits(float expected, float actual) =>
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
}
