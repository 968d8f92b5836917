using System;
using System.Linq;
using System.Runtime.Intrinsics;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// GeluKernels against the scalar formula generated loops use (ScalarMath.Gelu, bit for bit, on
/// every vector path and thread count) and the scalar formula against the exact GELU in double
/// precision.
/// </summary>
[Collection("KernelThreads")]
public sealed class GeluKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(37)]
    [InlineData(100_003)]
    public void ForwardAndBackwardAreTheScalarFormulaBitForBitOnEveryPathAndThreadCountWithOrWithoutTheKeptDerivative(int n)
    {
        var x = Values(n, 1);
        var g = Values(n, 2);
        var start = Values(n, 3);
        var expected = new float[n];
        var expectedGradient = (float[])start.Clone();
        for (int i = 0; i < n; i++)
        {
            expected[i] = ScalarMath.Gelu(x[i]);
            expectedGradient[i] += g[i] * ScalarMath.GeluDerivative(x[i]);
        }
        ThreadCounts.AtOneAndTwo(() => VectorPaths.ForEach(_ =>
        {
            var y = new float[n];
            GeluKernels.Forward(x, y);
            AssertBits(expected, y);
            var gradient = (float[])start.Clone();
            GeluKernels.Backward(x, g, gradient);
            AssertBits(expectedGradient, gradient);

            var kept = new float[n];
            var derivative = new float[n];
            GeluKernels.Forward(x, kept, derivative);
            AssertBits(expected, kept);
            AssertBits(x.Select(ScalarMath.GeluDerivative).ToArray(), derivative);
            gradient = (float[])start.Clone();
            GeluKernels.BackwardFromDerivative(derivative, g, gradient);
            AssertBits(expectedGradient, gradient);
            gradient = Values(n, 4);
            GeluKernels.BackwardFromDerivative(derivative, g, gradient, overwrite: true);
            AssertBits(g.Select((gi, i) => 0f + gi * derivative[i]).ToArray(), gradient);
        }));
    }

    [Fact]
    public void TheFormulaIsWithinAMillionthOfTheExactGelu()
    {
        double worstValue = 0, worstDerivative = 0;
        for (int i = -100000; i <= 100000; i++)
        {
            double x = i * 1e-4;
            double cdf = 0.5 * (1 + ScalarMath.Erf(x / Math.Sqrt(2)));
            double pdf = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
            worstValue = Math.Max(worstValue, Math.Abs(x * cdf - ScalarMath.Gelu((float)x)));
            worstDerivative = Math.Max(worstDerivative, Math.Abs(cdf + x * pdf - ScalarMath.GeluDerivative((float)x)));
        }
        Assert.InRange(worstValue, 0, 1e-6);
        Assert.InRange(worstDerivative, 0, 1e-6);
        Assert.Equal(0f, ScalarMath.Gelu(0f));
        Assert.Equal(0f, ScalarMath.Gelu(-200f));
        Assert.Equal(200f, ScalarMath.Gelu(200f));
        Assert.True(float.IsNaN(ScalarMath.Gelu(float.NaN)));
        Assert.True(float.IsNaN(ScalarMath.GeluDerivative(float.NaN)));
    }

    [Fact]
    public void SingleExpIsWithinTwoUlpOfTheExactExponential()
    {
        double worst = 0;
        for (int i = -873000; i <= 880000; i++)
        {
            float x = i * 1e-4f;
            double exact = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(SingleExp.Exp(x) - exact) / exact);
        }
        Assert.InRange(worst, 0, 2.4e-7);
        Assert.Equal(1f, SingleExp.Exp(0f));
    }

    [Fact]
    public void SingleExpVectorsGiveTheScalarBitsForEveryInputNaNAndClampsIncluded()
    {
        float[] special = [float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, -87.4f, -87.33654f, -87.3f, 88f, 88.1f, 100f, -100f, 1e-30f, -1e-30f];
        var inputs = special.Concat(Enumerable.Range(0, 4096).Select(i => -120f + i * (240f / 4096))).ToArray();
        for (int i = 0; i + 16 <= inputs.Length; i += 16)
        {
            var expected = inputs.AsSpan(i, 16).ToArray().Select(SingleExp.Exp).ToArray();
            var wide = SingleExp.Exp(Vector512.Create(inputs.AsSpan(i, 16)));
            var low = SingleExp.Exp(Vector256.Create(inputs.AsSpan(i, 8)));
            var high = SingleExp.Exp(Vector256.Create(inputs.AsSpan(i + 8, 8)));
            for (int lane = 0; lane < 16; lane++)
            {
                AssertBits([expected[lane]], [wide[lane]]);
                AssertBits([expected[lane]], [lane < 8 ? low[lane] : high[lane - 8]]);
            }
        }
        Assert.True(float.IsNaN(SingleExp.Exp(Vector256.Create(float.NaN))[0]));
        Assert.True(float.IsNaN(SingleExp.Exp(Vector512.Create(float.NaN))[0]));
    }

    // Values over [-6, 6] with zeros of both signs, NaN and infinities mixed in.
    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        float[] special = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -40f, 40f];
        for (int i = 0; i < length; i++)
            values[i] = random.Next(20) == 0 ? special[random.Next(special.Length)] : (float)(random.NextDouble() * 12 - 6);
        return values;
    }

    private static void AssertBits(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) || (float.IsNaN(expected[i]) && float.IsNaN(actual[i])),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
