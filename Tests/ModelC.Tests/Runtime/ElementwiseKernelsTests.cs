using System;
using System.Numerics.Tensors;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// The activation, dropout and penalty kernels replace generated scalar loops (or a slower library
/// call), so they must give the same bits: each test runs what the emitter wrote before and
/// compares exactly.
/// </summary>
[Collection("KernelThreads")]
public sealed class ElementwiseKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(8192)]
    public void ReluIsTheScalarLoopBitForBit(int n)
    {
        var x = Values(n, 1);
        var y = new float[n];
        ActivationKernels.Relu(x, y);
        for (int i = 0; i < n; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(x[i] < 0f ? 0f : x[i]), BitConverter.SingleToInt32Bits(y[i]));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 10)]
    [InlineData(4, 16)]
    [InlineData(5, 37)]
    [InlineData(64, 128)]
    public void ReluBackwardWithBiasGradientIsTheTwoScalarPassesBitForBit(int rows, int columns)
    {
        int size = rows * columns;
        var pre = Values(size, 2);
        var activationGradient = Values(size, 3);
        // Both outputs accumulate: start them from earlier contributions.
        var preGradient = Values(size, 4);
        var biasGradient = Values(columns, 5);
        var expectedPre = (float[])preGradient.Clone();
        var expectedBias = (float[])biasGradient.Clone();
        // What the generated code did before: relu's backward loop, then the bias gradient's column sums in row order.
        for (int i = 0; i < size; i++) expectedPre[i] += activationGradient[i] * (pre[i] > 0f ? 1f : 0f);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) expectedBias[c] = expectedBias[c] + expectedPre[r * columns + c];

        ActivationKernels.ReluBackwardWithBiasGradient(pre, activationGradient, preGradient, biasGradient, rows, columns);

        AssertBits(expectedPre, preGradient);
        AssertBits(expectedBias, biasGradient);

        // Without a bias only the pre-activation gradient is written.
        var again = Values(size, 4);
        ActivationKernels.ReluBackwardWithBiasGradient(pre, activationGradient, again, default, rows, columns);
        AssertBits(expectedPre, again);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4096)]
    public void DropoutDrawsInElementOrderAndGivesTheScalarLoopsBits(int n)
    {
        var x = Values(n, 6);
        var mask = new float[n];
        var y = new float[n];
        var random = new ModelRandom(11);
        var reference = new ModelRandom(11);
        DropoutKernels.Forward(random, 0.2f, 1.25f, x, mask, y);
        for (int i = 0; i < n; i++)
        {
            // The loop the emitter wrote before: one draw per element, in order.
            float m = reference.NextFloat() < 0.2f ? 0f : 1.25f;
            Assert.Equal(m, mask[i]);
            AssertBits([x[i] * m], [y[i]]);
        }
        Assert.Equal(reference.NextUInt(), random.NextUInt());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(108544)]
    [InlineData(100353)]
    public void AddScaledGivesTheBitsOfTensorPrimitivesMultiplyAdd(int n)
    {
        var x = Values(n, 7);
        var expected = Values(n, 8);
        TensorPrimitives.MultiplyAdd(x, 2.5e-4f, expected, expected);
        ThreadCounts.AtOneAndTwo(() =>
        {
            var y = Values(n, 8);
            VectorKernels.AddScaled(x, 2.5e-4f, y);
            AssertBits(expected, y);
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(4096)]
    public void AddAndAddToAreTheScalarLoopsBitForBit(int n)
    {
        var x = Values(n, 6);
        var y = Values(n, 7);
        var sum = new float[n];
        var expectedSum = new float[n];
        var accumulated = (float[])y.Clone();
        var expectedAccumulated = (float[])y.Clone();
        // What the generated loops did: y = a + b, and each operand's gradient += g * 1f.
        for (int i = 0; i < n; i++)
        {
            expectedSum[i] = x[i] + y[i];
            expectedAccumulated[i] += x[i] * 1f;
        }
        VectorKernels.Add(x, y, sum);
        VectorKernels.AddTo(x, accumulated);
        AssertBits(expectedSum, sum);
        AssertBits(expectedAccumulated, accumulated);
    }

    [Fact]
    public void ShortSpansAreRefusedNamingTheArgument()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ActivationKernels.Relu(new float[4], new float[3])).ParamName);
        Assert.Equal("activationGradient", Assert.Throws<ArgumentException>(
            () => ActivationKernels.ReluBackwardWithBiasGradient(new float[6], new float[5], new float[6], new float[3], 2, 3)).ParamName);
        Assert.Equal("biasGradient", Assert.Throws<ArgumentException>(
            () => ActivationKernels.ReluBackwardWithBiasGradient(new float[6], new float[6], new float[6], new float[2], 2, 3)).ParamName);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => DropoutKernels.Forward(new ModelRandom(1), 0.5f, 2f, new float[4], new float[3], new float[4])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => VectorKernels.AddScaled(new float[4], 1f, new float[3])).ParamName);
        Assert.Equal("result", Assert.Throws<ArgumentException>(() => VectorKernels.Add(new float[4], new float[4], new float[3])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => VectorKernels.AddTo(new float[4], new float[3])).ParamName);
    }

    // Values in [-1, 1] with the edge cases mixed in: zeros of both signs, NaN and infinities.
    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        float[] special = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        for (int i = 0; i < length; i++)
            values[i] = random.Next(10) == 0 ? special[random.Next(special.Length)] : (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static void AssertBits(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) || (float.IsNaN(expected[i]) && float.IsNaN(actual[i])),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
