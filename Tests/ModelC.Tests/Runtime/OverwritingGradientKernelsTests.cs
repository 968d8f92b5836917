using System;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// The kernels that can write their output instead of adding to it (what generated code asks of
/// the first backward step to reach a gradient, so the arena's clear can skip it, and of a forward
/// product without a bias): over any old contents, they give the bits the adding kernel gives on a
/// cleared output, on every vector path and at one and two kernel threads.
/// </summary>
[Collection("KernelThreads")]
public sealed class OverwritingGradientKernelsTests
{
    [Theory]
    [InlineData(37)]
    [InlineData(100_003)]
    public void GeluBackward(int n)
    {
        var x = Values(n, 1);
        var g = Values(n, 2);
        EveryPathAndThreadCount(() =>
        {
            var added = new float[n];
            GeluKernels.Backward(x, g, added);
            var written = Values(n, 3);
            GeluKernels.Backward(x, g, written, overwrite: true);
            Assert.Equal(Bits(added), Bits(written));
        });
    }

    [Theory]
    [InlineData(5, 12)]
    [InlineData(300, 64)]
    public void LayerNormBackward(int rows, int features)
    {
        var x = Values(rows * features, 1);
        var weight = Values(features, 2);
        var g = Values(rows * features, 3);
        EveryPathAndThreadCount(() =>
        {
            var added = new float[rows * features];
            LayerNormKernels.Backward(x, weight, g, added, default, default, rows, features, 1e-5f);
            var written = Values(rows * features, 4);
            LayerNormKernels.Backward(x, weight, g, written, default, default, rows, features, 1e-5f, overwriteInputGradient: true);
            Assert.Equal(Bits(added), Bits(written));
        });
    }

    [Theory]
    [InlineData(2, 13, 2, 8, true)]
    [InlineData(8, 64, 4, 16, true)]
    [InlineData(3, 16, 2, 4, false)]
    public void AttentionBackward(int batch, int length, int heads, int headSize, bool causal)
    {
        int e = heads * headSize;
        var projected = Values(batch * length * 3 * e, 1);
        var contextGradient = Values(batch * length * e, 2);
        var weights = new float[batch * AttentionKernels.WeightsSize(length, heads)];
        AttentionKernels.Forward(projected, weights, new float[batch * length * e], batch, length, heads, headSize, causal);
        EveryPathAndThreadCount(() =>
        {
            var added = new float[projected.Length];
            AttentionKernels.Backward(projected, weights, contextGradient, added, batch, length, heads, headSize, causal);
            var written = Values(projected.Length, 3);
            AttentionKernels.Backward(projected, weights, contextGradient, written, batch, length, heads, headSize, causal, overwrite: true);
            Assert.Equal(Bits(added), Bits(written));
        });
    }

    // Below 16 rows of c the product reads its operands in place, from 16 on it packs them.
    [Theory]
    [InlineData(7, 20, 33)]
    [InlineData(300, 64, 256)]
    [InlineData(64, 40, 0)]
    public void DenseInputGradient(int m, int n, int k)
    {
        var dy = Values(m * k, 1);
        var w = Values(k * n, 2);
        EveryPathAndThreadCount(() =>
        {
            var added = new float[m * n];
            DenseKernels.Multiply(dy, k, 1, w, added, m, n, k);
            var written = Values(m * n, 3);
            DenseKernels.Multiply(dy, k, 1, w, written, m, n, k, overwrite: true);
            Assert.Equal(Bits(added), Bits(written));
        });
    }

    // A dense layer without a bias writes its output from a zero bias. Below 16 rows the product
    // reads its operands in place, from 16 on it packs them (here also from a packed-once weight);
    // outputs wider than the zero bias on the stack, and k = 0, clear c and add instead.
    [Theory]
    [InlineData(7, 20, 33)]
    [InlineData(300, 64, 256)]
    [InlineData(64, 40, 0)]
    [InlineData(16, 4100, 9)]
    public void DenseForwardWithoutBias(int m, int n, int k)
    {
        var x = Values(m * k, 1);
        var w = Values(n * k, 2);
        EveryPathAndThreadCount(() =>
        {
            var added = new float[m * n];
            DenseKernels.MultiplyTransposed(x, w, added, m, n, k);
            var written = Values(m * n, 3);
            DenseKernels.MultiplyTransposed(x, w, written, m, n, k, packed: null, slot: 0, version: 0, overwrite: true);
            Assert.Equal(Bits(added), Bits(written));
            var fromPacked = Values(m * n, 4);
            DenseKernels.MultiplyTransposed(x, w, fromPacked, m, n, k, new PackedWeights(), slot: 0, version: 1, overwrite: true);
            Assert.Equal(Bits(added), Bits(fromPacked));
        });
    }

    private static void EveryPathAndThreadCount(Action test) => ThreadCounts.AtOneAndTwo(() => VectorPaths.ForEach(_ => test()));

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }
}
