using System;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// SigmoidTanhKernels against the scalar formulas generated loops use (ScalarMath.Sigmoid and
/// ScalarMath.Tanh, bit for bit, at every thread count), and those formulas against the exact
/// functions in double precision.
/// </summary>
[Collection("KernelThreads")]
public sealed class SigmoidTanhKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(37)]
    [InlineData(100_003)]
    public void ForwardAndBackwardAreTheScalarFormulasBitForBitAtEveryThreadCount(int n)
    {
        var x = Values(n, 1);
        var g = Values(n, 2);
        var start = Values(n, 3);
        var sigmoid = new float[n];
        var tanh = new float[n];
        var sigmoidGradient = (float[])start.Clone();
        var tanhGradient = (float[])start.Clone();
        for (int i = 0; i < n; i++)
        {
            float s = sigmoid[i] = ScalarMath.Sigmoid(x[i]);
            float t = tanh[i] = ScalarMath.Tanh(x[i]);
            // The generated loops' expressions: g * y * (1f - y) and g * (1f - y * y).
            sigmoidGradient[i] += g[i] * s * (1f - s);
            tanhGradient[i] += g[i] * (1f - t * t);
        }
        ThreadCounts.AtOneAndTwo(() =>
        {
            var y = new float[n];
            SigmoidTanhKernels.SigmoidForward(x, y);
            AssertBits(sigmoid, y);
            SigmoidTanhKernels.TanhForward(x, y);
            AssertBits(tanh, y);
            var gradient = (float[])start.Clone();
            SigmoidTanhKernels.SigmoidBackward(sigmoid, g, gradient);
            AssertBits(sigmoidGradient, gradient);
            gradient = (float[])start.Clone();
            SigmoidTanhKernels.TanhBackward(tanh, g, gradient);
            AssertBits(tanhGradient, gradient);
        });
    }

    [Fact]
    public void TheFormulasAreWithinThreeUlpOfTheExactFunctions()
    {
        double worstSigmoid = 0, worstTanh = 0;
        for (int i = -200000; i <= 200000; i++)
        {
            // Small values densely (where tanh's polynomial and the cancellation it avoids live), then out to ±20.
            float x = Math.Abs(i) <= 100000 ? i * 1e-5f : MathF.Sign(i) * (1f + (Math.Abs(i) - 100000) * 1.9e-4f);
            double exactSigmoid = 1 / (1 + Math.Exp(-(double)x));
            double exactTanh = Math.Tanh(x);
            worstSigmoid = Math.Max(worstSigmoid, Math.Abs(ScalarMath.Sigmoid(x) - exactSigmoid) / exactSigmoid);
            if (exactTanh != 0) worstTanh = Math.Max(worstTanh, Math.Abs(ScalarMath.Tanh(x) - exactTanh) / Math.Abs(exactTanh));
        }
        Assert.InRange(worstSigmoid, 0, 3.6e-7);
        Assert.InRange(worstTanh, 0, 3.6e-7);
        Assert.Equal(0.5f, ScalarMath.Sigmoid(0f));
        Assert.Equal(1f, ScalarMath.Sigmoid(float.PositiveInfinity));
        Assert.Equal(0f, ScalarMath.Sigmoid(float.NegativeInfinity));
        Assert.Equal(1f, ScalarMath.Tanh(float.PositiveInfinity));
        Assert.Equal(-1f, ScalarMath.Tanh(float.NegativeInfinity));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(ScalarMath.Tanh(-0f)));
        Assert.True(float.IsNaN(ScalarMath.Sigmoid(float.NaN)));
        Assert.True(float.IsNaN(ScalarMath.Tanh(float.NaN)));
    }

    [Fact]
    public void MismatchedSpansAreRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => SigmoidTanhKernels.TanhForward(new float[9], new float[8]));
        Assert.Contains("'y' has 8 values but 'x' has 9", error.Message);
        error = Assert.Throws<ArgumentException>(() => SigmoidTanhKernels.SigmoidBackward(new float[9], new float[9], new float[10]));
        Assert.Contains("'xGradient' has 10 values", error.Message);
    }

    // Values over [-10, 10] with zeros of both signs, NaN and infinities mixed in.
    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        float[] special = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -100f, 100f, 1e-6f];
        for (int i = 0; i < length; i++)
            values[i] = random.Next(20) == 0 ? special[random.Next(special.Length)] : (float)(random.NextDouble() * 20 - 10);
        return values;
    }

    private static void AssertBits(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) || (float.IsNaN(expected[i]) && float.IsNaN(actual[i])),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
