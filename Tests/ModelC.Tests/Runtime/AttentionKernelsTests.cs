using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// The fused attention kernel against a plain double-precision reference of softmax(q kᵀ / √D
/// (+ causal mask)) v and its gradient, and the same bits on one thread and two.
/// </summary>
[Collection("KernelThreads")]
public sealed class AttentionKernelsTests
{
    [Theory]
    [InlineData(3, 9, 2, 5, true)]
    [InlineData(2, 7, 3, 8, false)]
    [InlineData(1, 17, 1, 11, true)]
    // Keys and values transposed in 8 x 8 blocks, with rows left over (T = 20, padded to 24) and none (T = 24, the weights read where Forward kept them).
    [InlineData(2, 20, 2, 16, true)]
    [InlineData(2, 24, 2, 8, true)]
    [InlineData(1, 24, 3, 16, false)]
    // CharGpt's heads; 16 + 8 columns of context (T = 70: no whole vectors, row blocks of 6 with 4 left over); 16 + 4 columns, T = 13.
    [InlineData(2, 64, 4, 16, true)]
    [InlineData(1, 70, 2, 24, false)]
    [InlineData(1, 70, 2, 24, true)]
    [InlineData(2, 13, 2, 20, true)]
    public void ForwardAndBackwardMatchTheDoubleReference(int batch, int length, int heads, int headSize, bool causal)
    {
        var p = new Problem(batch, length, heads, headSize, seed: length);
        var (expectedContext, expectedGradient) = p.Reference(causal);
        var (actualContext, actualGradient) = p.Run(causal);
        for (int i = 0; i < expectedContext.Length; i++) Assert.Equal(expectedContext[i], actualContext[i], 5e-6);
        for (int i = 0; i < expectedGradient.Length; i++) Assert.Equal(expectedGradient[i], actualGradient[i], 5e-6);
        if (causal)
            for (int i = 0; i < length; i++)
                for (int j = i + 1; j < length; j++) Assert.Equal(0f, p.Weights[i * length + j]);
    }

    // Each over the kernel's threshold for sharing the work: CharGpt's heads (8 examples of 4 heads of 64 x 16), and sizes
    // that are not whole vectors or blocks, so that the threads' shares end within an example and the next unit's rows
    // asked for ahead are those of the next head or the next example.
    [Theory]
    [InlineData(8, 64, 4, 16, true)]
    [InlineData(8, 64, 4, 16, false)]
    [InlineData(6, 20, 5, 24, true)]
    [InlineData(9, 29, 3, 16, false)]
    public void TwoThreadsGiveTheBitsOfOne(int batch, int length, int heads, int headSize, bool causal)
    {
        var p = new Problem(batch, length, heads, headSize, seed: 3);
        int saved = KernelThreads.Parts;
        try
        {
            KernelThreads.Parts = 1;
            var one = p.Run(causal);
            var weights = (float[])p.Weights.Clone();
            KernelThreads.Parts = 2;
            for (int run = 0; run < 3; run++)
            {
                var two = p.Run(causal);
                Assert.Equal(weights, p.Weights);
                Assert.Equal(one.Context, two.Context);
                Assert.Equal(one.ProjectedGradient, two.ProjectedGradient);
            }
        }
        finally
        {
            KernelThreads.Parts = saved;
        }
    }

    // The kernel is written on Vector256 alone: forcing another path (AVX-512 included) leaves every bit as it is.
    [Theory]
    [InlineData(2, 20, 2, 16, true)]
    [InlineData(1, 24, 3, 24, false)]
    public void EveryVectorPathGivesTheSameBits(int batch, int length, int heads, int headSize, bool causal)
    {
        var p = new Problem(batch, length, heads, headSize, seed: 5);
        var native = p.Run(causal);
        VectorPaths.ForEach(_ =>
        {
            var forced = p.Run(causal);
            Assert.Equal(native.Context, forced.Context);
            Assert.Equal(native.ProjectedGradient, forced.ProjectedGradient);
        });
    }

    private sealed class Problem
    {
        private readonly int _batch, _t, _heads, _d, _e;
        private readonly float[] _projected, _contextGradient;

        public Problem(int batch, int length, int heads, int headSize, int seed)
        {
            (_batch, _t, _heads, _d, _e) = (batch, length, heads, headSize, heads * headSize);
            var random = new Random(seed);
            _projected = new float[batch * length * 3 * _e];
            for (int i = 0; i < _projected.Length; i++) _projected[i] = (float)(random.NextDouble() * 2 - 1);
            _contextGradient = new float[batch * length * _e];
            for (int i = 0; i < _contextGradient.Length; i++) _contextGradient[i] = (float)(random.NextDouble() * 2 - 1);
            Weights = new float[batch * heads * length * length];
        }

        public float[] Weights { get; }

        public (float[] Context, float[] ProjectedGradient) Run(bool causal)
        {
            var context = new float[_batch * _t * _e];
            var gradient = new float[_projected.Length];
            gradient.AsSpan().Fill(0.5f);   // the kernel adds to what is there
            AttentionKernels.Forward(_projected, Weights, context, _batch, _t, _heads, _d, causal);
            AttentionKernels.Backward(_projected, Weights, _contextGradient, gradient, _batch, _t, _heads, _d, causal);
            for (int i = 0; i < gradient.Length; i++) gradient[i] -= 0.5f;
            return (context, gradient);
        }

        public (double[] Context, double[] ProjectedGradient) Reference(bool causal)
        {
            var context = new double[_batch * _t * _e];
            var gradient = new double[_projected.Length];
            double scale = 1 / Math.Sqrt(_d);
            int row = 3 * _e;
            for (int b = 0; b < _batch; b++)
                for (int h = 0; h < _heads; h++)
                {
                    double Q(int i, int k) => _projected[(b * _t + i) * row + h * _d + k];
                    double K(int i, int k) => _projected[(b * _t + i) * row + _e + h * _d + k];
                    double V(int i, int k) => _projected[(b * _t + i) * row + 2 * _e + h * _d + k];
                    double G(int i, int k) => _contextGradient[(b * _t + i) * _e + h * _d + k];
                    for (int i = 0; i < _t; i++)
                    {
                        int visible = causal ? i + 1 : _t;
                        var w = new double[visible];
                        double max = double.NegativeInfinity;
                        for (int j = 0; j < visible; j++)
                        {
                            double s = 0;
                            for (int k = 0; k < _d; k++) s += Q(i, k) * scale * K(j, k);
                            w[j] = s;
                            max = Math.Max(max, s);
                        }
                        double sum = 0;
                        for (int j = 0; j < visible; j++) sum += w[j] = Math.Exp(w[j] - max);
                        for (int j = 0; j < visible; j++) w[j] /= sum;
                        for (int k = 0; k < _d; k++)
                            for (int j = 0; j < visible; j++) context[(b * _t + i) * _e + h * _d + k] += w[j] * V(j, k);
                        // Backward: dw = g v^T, ds = w (dw - w . dw), dq = ds k scale, dk = ds q scale, dv = w g.
                        var dw = new double[visible];
                        double dot = 0;
                        for (int j = 0; j < visible; j++)
                        {
                            for (int k = 0; k < _d; k++) dw[j] += G(i, k) * V(j, k);
                            dot += w[j] * dw[j];
                        }
                        for (int j = 0; j < visible; j++)
                        {
                            double ds = w[j] * (dw[j] - dot) * scale;
                            for (int k = 0; k < _d; k++)
                            {
                                gradient[(b * _t + i) * row + h * _d + k] += ds * K(j, k);
                                gradient[(b * _t + j) * row + _e + h * _d + k] += ds * Q(i, k);
                                gradient[(b * _t + j) * row + 2 * _e + h * _d + k] += w[j] * G(i, k);
                            }
                        }
                    }
                }
            return (context, gradient);
        }
    }
}
