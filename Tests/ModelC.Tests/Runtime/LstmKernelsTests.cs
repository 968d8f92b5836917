using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// The whole-sequence LSTM kernel against a double-precision step-by-step reference (forward values
/// and every gradient), and its bits at one, two and three threads.
/// </summary>
[Collection("KernelThreads")]
public sealed class LstmKernelsTests
{
    // One step (no recurrent product), a batch under 16 (dot-product kernels, W_hh read where it
    // lies), batches of 16 and more (packed products, W_hh packed once per pass), hidden sizes that
    // leave vector tails, and more than one depth block of W_hh (4H > 256).
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 1, 1, 3, 2 }, { 3, 4, 5, 3 }, { 2, 7, 9, 17 }, { 16, 6, 32, 40 }, { 17, 5, 8, 70 }, { 20, 3, 12, 128 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBackwardMatchAStepByStepReference(int batch, int steps, int features, int hidden)
    {
        var p = new Problem(batch, steps, features, hidden, seed: batch * 31 + steps);
        var (y, gradients) = p.Run();
        var (yRef, gradientsRef) = p.Reference();

        AssertClose(yRef, y, "y");
        string[] names = { "weight_ih", "weight_hh", "bias_ih", "bias_hh", "x" };
        for (int i = 0; i < names.Length; i++) AssertClose(gradientsRef[i], gradients[i], names[i]);
    }

    [Fact]
    public void OneTwoAndThreeThreadsGiveTheSameBits()
    {
        var p = new Problem(batch: 32, steps: 8, features: 48, hidden: 128, seed: 3);
        var one = p.Run(parts: 1);
        foreach (int parts in new[] { 2, 3, 2 })
        {
            var other = p.Run(parts);
            Assert.Equal(one.Y, other.Y);
            for (int i = 0; i < one.Gradients.Length; i++) Assert.Equal(one.Gradients[i], other.Gradients[i]);
        }
    }

    [Fact]
    public void ShortSpansAreRefusedNamingTheArgument()
    {
        int size = LstmKernels.ScratchSize(2, 3, 4);
        var error = Assert.Throws<ArgumentException>(() => LstmKernels.Forward(new float[6], new float[48], new float[64], new float[16], new float[16],
            new float[8], new float[size - 1], 1, 2, 3, 4));
        Assert.Equal("scratch", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => LstmKernels.Forward(new float[5], new float[48], new float[64], new float[16], new float[16],
            new float[8], new float[size], 1, 2, 3, 4));
        Assert.Equal("x", error.ParamName);
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0;
        foreach (double v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 * (1 + scale), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    private sealed class Problem
    {
        private readonly int _batch, _steps, _features, _hidden;
        private readonly float[] _x, _wIh, _wHh, _bIh, _bHh, _dy;

        public Problem(int batch, int steps, int features, int hidden, int seed)
        {
            _batch = batch; _steps = steps; _features = features; _hidden = hidden;
            var random = new Random(seed);
            float[] Values(int n, double scale)
            {
                var v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float)((random.NextDouble() * 2 - 1) * scale);
                return v;
            }
            int g = 4 * hidden;
            _x = Values(batch * steps * features, 1);
            _wIh = Values(g * features, 1 / Math.Sqrt(features));
            _wHh = Values(g * hidden, 1 / Math.Sqrt(hidden));
            _bIh = Values(g, 0.3);
            _bHh = Values(g, 0.3);
            _dy = Values(batch * steps * hidden, 1);
        }

        public (float[] Y, float[][] Gradients) Run(int parts = 0)
        {
            int saved = KernelThreads.Parts;
            if (parts > 0) KernelThreads.Parts = parts;
            try
            {
                int g = 4 * _hidden, size = _batch * LstmKernels.ScratchSize(_steps, _features, _hidden);
                var y = new float[_batch * _steps * _hidden];
                var scratch = new float[size];
                // Free scratch is not cleared between passes: start it dirty.
                var gradientScratch = new float[size];
                Array.Fill(gradientScratch, float.NaN);
                LstmKernels.Forward(_x, _wIh, _wHh, _bIh, _bHh, y, scratch, _batch, _steps, _features, _hidden);
                var gradients = new[] { new float[g * _features], new float[g * _hidden], new float[g], new float[g], new float[_x.Length] };
                LstmKernels.Backward(_wIh, _wHh, _dy, scratch, gradientScratch, gradients[0], gradients[1], gradients[2], gradients[3], gradients[4],
                    _batch, _steps, _features, _hidden);
                return (y, gradients);
            }
            finally
            {
                KernelThreads.Parts = saved;
            }
        }

        /// <summary>The textbook recurrence and its backpropagation through time, one example and step at a time, in doubles.</summary>
        public (double[] Y, double[][] Gradients) Reference()
        {
            int h = _hidden, f = _features, g = 4 * h, T = _steps;
            var y = new double[_batch * T * h];
            var dWih = new double[g * f]; var dWhh = new double[g * h]; var dbIh = new double[g]; var dbHh = new double[g]; var dx = new double[_x.Length];
            static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
            for (int b = 0; b < _batch; b++)
            {
                var gates = new double[T, g]; var c = new double[T + 1, h]; var hs = new double[T + 1, h];
                for (int t = 0; t < T; t++)
                {
                    for (int r = 0; r < g; r++)
                    {
                        double s = _bIh[r] + _bHh[r];
                        for (int k = 0; k < f; k++) s += (double)_wIh[r * f + k] * _x[(b * T + t) * f + k];
                        for (int k = 0; k < h; k++) s += (double)_wHh[r * h + k] * hs[t, k];
                        gates[t, r] = r >= 2 * h && r < 3 * h ? Math.Tanh(s) : Sigmoid(s);
                    }
                    for (int j = 0; j < h; j++)
                    {
                        c[t + 1, j] = gates[t, h + j] * c[t, j] + gates[t, j] * gates[t, 2 * h + j];
                        hs[t + 1, j] = gates[t, 3 * h + j] * Math.Tanh(c[t + 1, j]);
                        y[(b * T + t) * h + j] = hs[t + 1, j];
                    }
                }
                var dh = new double[h]; var dc = new double[h];
                for (int t = T - 1; t >= 0; t--)
                {
                    var dPre = new double[g];
                    for (int j = 0; j < h; j++)
                    {
                        double dH = dh[j] + _dy[(b * T + t) * h + j], tc = Math.Tanh(c[t + 1, j]);
                        double i = gates[t, j], fg = gates[t, h + j], gg = gates[t, 2 * h + j], o = gates[t, 3 * h + j];
                        double dC = dc[j] + dH * o * (1 - tc * tc);
                        dPre[j] = dC * gg * i * (1 - i);
                        dPre[h + j] = dC * c[t, j] * fg * (1 - fg);
                        dPre[2 * h + j] = dC * i * (1 - gg * gg);
                        dPre[3 * h + j] = dH * tc * o * (1 - o);
                        dc[j] = dC * fg;
                    }
                    Array.Clear(dh);
                    for (int r = 0; r < g; r++)
                    {
                        dbIh[r] += dPre[r]; dbHh[r] += dPre[r];
                        for (int k = 0; k < f; k++)
                        {
                            dWih[r * f + k] += dPre[r] * _x[(b * T + t) * f + k];
                            dx[(b * T + t) * f + k] += dPre[r] * _wIh[r * f + k];
                        }
                        for (int k = 0; k < h; k++)
                        {
                            dWhh[r * h + k] += dPre[r] * hs[t, k];
                            dh[k] += dPre[r] * _wHh[r * h + k];
                        }
                    }
                }
            }
            return (y, new[] { dWih, dWhh, dbIh, dbHh, dx });
        }
    }
}
