using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// The whole-sequence GRU and RNN kernels against a double-precision step-by-step reference
/// (forward values and every gradient, forward and reverse, from zero and from a given state), and
/// their bits at one, two and three threads.
/// </summary>
[Collection("KernelThreads")]
public sealed class GruAndRnnKernelsTests
{
    // One step, a batch under 16, batches of 16 and more (packed products on machines that pack),
    // hidden sizes that leave vector tails.
    public static TheoryData<bool, int, int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<bool, int, int, int, int, bool, bool>();
        foreach (bool gru in new[] { true, false })
        {
            data.Add(gru, 1, 1, 3, 2, false, false);
            data.Add(gru, 3, 4, 5, 3, true, false);
            data.Add(gru, 2, 7, 9, 17, false, true);
            data.Add(gru, 16, 6, 32, 40, true, true);
            data.Add(gru, 17, 5, 8, 70, false, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndBackwardMatchAStepByStepReference(bool gru, int batch, int steps, int features, int hidden, bool reverse, bool initialState)
    {
        var p = new Problem(gru, batch, steps, features, hidden, reverse, initialState, seed: batch * 31 + steps);
        var (y, gradients) = p.Run();
        var (yRef, gradientsRef) = p.Reference();

        AssertClose(yRef, y, "y");
        string[] names = { "weight_ih", "weight_hh", "bias_ih", "bias_hh", "x", "h0" };
        for (int i = 0; i < names.Length; i++) AssertClose(gradientsRef[i], gradients[i], names[i]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OneTwoAndThreeThreadsGiveTheSameBits(bool gru)
    {
        var p = new Problem(gru, batch: 32, steps: 8, features: 48, hidden: 128, reverse: true, initialState: true, seed: 3);
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
        int size = GruKernels.ScratchSize(2, 3, 4);
        var error = Assert.Throws<ArgumentException>(() => GruKernels.Forward(new float[6], new float[36], new float[48], new float[12], new float[12],
            default, new float[8], new float[size - 1], 1, 2, 3, 4, reverse: false, initialState: false));
        Assert.Equal("scratch", error.ParamName);
        Assert.Contains("the GRU needs", error.Message);
        error = Assert.Throws<ArgumentException>(() => RnnKernels.Forward(new float[6], new float[12], new float[16], new float[4], new float[4],
            new float[3], new float[8], new float[RnnKernels.ScratchSize(2, 3, 4)], 1, 2, 3, 4, reverse: false, initialState: true));
        Assert.Equal("initialHidden", error.ParamName);
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
        private readonly bool _gru, _reverse, _initialState;
        private readonly int _batch, _steps, _features, _hidden, _gates;
        private readonly float[] _x, _wIh, _wHh, _bIh, _bHh, _h0, _dy;

        public Problem(bool gru, int batch, int steps, int features, int hidden, bool reverse, bool initialState, int seed)
        {
            _gru = gru; _batch = batch; _steps = steps; _features = features; _hidden = hidden; _reverse = reverse; _initialState = initialState;
            _gates = (gru ? 3 : 1) * hidden;
            var random = new Random(seed);
            float[] Values(int n, double scale)
            {
                var v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float)((random.NextDouble() * 2 - 1) * scale);
                return v;
            }
            _x = Values(batch * steps * features, 1);
            _wIh = Values(_gates * features, 1 / Math.Sqrt(features));
            _wHh = Values(_gates * hidden, 1 / Math.Sqrt(hidden));
            _bIh = Values(_gates, 0.3);
            _bHh = Values(_gates, 0.3);
            _h0 = initialState ? Values(batch * hidden, 0.8) : new float[batch * hidden];
            _dy = Values(batch * steps * hidden, 1);
        }

        public (float[] Y, float[][] Gradients) Run(int parts = 0)
        {
            int saved = KernelThreads.Parts;
            if (parts > 0) KernelThreads.Parts = parts;
            try
            {
                int size = _batch * (_gru ? GruKernels.ScratchSize(_steps, _features, _hidden) : RnnKernels.ScratchSize(_steps, _features, _hidden));
                var y = new float[_batch * _steps * _hidden];
                var scratch = new float[size];
                // Free scratch is not cleared between passes: start it dirty.
                var gradientScratch = new float[size];
                Array.Fill(gradientScratch, float.NaN);
                var g = new[] { new float[_wIh.Length], new float[_wHh.Length], new float[_gates], new float[_gates], new float[_x.Length], new float[_h0.Length] };
                ReadOnlySpan<float> h0 = _initialState ? _h0 : default;
                Span<float> dh0 = _initialState ? g[5] : default;
                if (_gru)
                {
                    GruKernels.Forward(_x, _wIh, _wHh, _bIh, _bHh, h0, y, scratch, _batch, _steps, _features, _hidden, _reverse, _initialState);
                    GruKernels.Backward(_wIh, _wHh, _dy, scratch, gradientScratch, g[0], g[1], g[2], g[3], g[4], dh0,
                        _batch, _steps, _features, _hidden, _reverse, _initialState);
                }
                else
                {
                    RnnKernels.Forward(_x, _wIh, _wHh, _bIh, _bHh, h0, y, scratch, _batch, _steps, _features, _hidden, _reverse, _initialState);
                    RnnKernels.Backward(_wIh, _wHh, _dy, scratch, gradientScratch, g[0], g[1], g[2], g[3], g[4], dh0,
                        _batch, _steps, _features, _hidden, _reverse, _initialState);
                }
                return (y, g);
            }
            finally
            {
                KernelThreads.Parts = saved;
            }
        }

        /// <summary>PyTorch's recurrences and their backpropagation through time, one example and step at a time, in doubles.</summary>
        public (double[] Y, double[][] Gradients) Reference()
        {
            int h = _hidden, f = _features, g = _gates, T = _steps;
            var y = new double[_batch * T * h];
            var dWih = new double[g * f]; var dWhh = new double[g * h]; var dbIh = new double[g]; var dbHh = new double[g];
            var dx = new double[_x.Length]; var dh0 = new double[_h0.Length];
            static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
            for (int b = 0; b < _batch; b++)
            {
                // Pass step k reads time step at(k); states[k] is the state before pass step k.
                int At(int k) => _reverse ? T - 1 - k : k;
                var states = new double[T + 1, h];
                var gi = new double[T, g]; var gh = new double[T, g]; var act = new double[T, g];
                for (int j = 0; j < h; j++) states[0, j] = _h0[b * h + j];
                for (int k = 0; k < T; k++)
                {
                    int xRow = (b * T + At(k)) * f;
                    for (int r = 0; r < g; r++)
                    {
                        double si = _bIh[r], sh = _bHh[r];
                        for (int q = 0; q < f; q++) si += (double)_wIh[r * f + q] * _x[xRow + q];
                        for (int q = 0; q < h; q++) sh += (double)_wHh[r * h + q] * states[k, q];
                        gi[k, r] = si; gh[k, r] = sh;
                    }
                    for (int j = 0; j < h; j++)
                    {
                        double next;
                        if (_gru)
                        {
                            double rr = Sigmoid(gi[k, j] + gh[k, j]), z = Sigmoid(gi[k, h + j] + gh[k, h + j]);
                            double n = Math.Tanh(gi[k, 2 * h + j] + rr * gh[k, 2 * h + j]);
                            act[k, j] = rr; act[k, h + j] = z; act[k, 2 * h + j] = n;
                            next = (1 - z) * n + z * states[k, j];
                        }
                        else next = act[k, j] = Math.Tanh(gi[k, j] + gh[k, j]);
                        states[k + 1, j] = next;
                        y[(b * T + At(k)) * h + j] = next;
                    }
                }
                var dh = new double[h];
                for (int k = T - 1; k >= 0; k--)
                {
                    var dI = new double[g]; var dH = new double[g]; var dPrev = new double[h];
                    for (int j = 0; j < h; j++)
                    {
                        double d = dh[j] + _dy[(b * T + At(k)) * h + j];
                        if (_gru)
                        {
                            double rr = act[k, j], z = act[k, h + j], n = act[k, 2 * h + j];
                            double dn = d * (1 - z) * (1 - n * n);
                            double dz = d * (states[k, j] - n) * z * (1 - z);
                            double dr = dn * gh[k, 2 * h + j] * rr * (1 - rr);
                            dI[j] = dH[j] = dr; dI[h + j] = dH[h + j] = dz; dI[2 * h + j] = dn; dH[2 * h + j] = dn * rr;
                            dPrev[j] = d * z;
                        }
                        else dI[j] = dH[j] = d * (1 - act[k, j] * act[k, j]);
                    }
                    int xRow = (b * T + At(k)) * f;
                    for (int r = 0; r < g; r++)
                    {
                        dbIh[r] += dI[r]; dbHh[r] += dH[r];
                        for (int q = 0; q < f; q++)
                        {
                            dWih[r * f + q] += dI[r] * _x[xRow + q];
                            dx[xRow + q] += dI[r] * _wIh[r * f + q];
                        }
                        for (int q = 0; q < h; q++)
                        {
                            dWhh[r * h + q] += dH[r] * states[k, q];
                            dPrev[q] += dH[r] * _wHh[r * h + q];
                        }
                    }
                    dh = dPrev;
                }
                if (_initialState)
                    for (int j = 0; j < h; j++) dh0[b * h + j] = dh[j];
            }
            return (y, new[] { dWih, dWhh, dbIh, dbHh, dx, dh0 });
        }
    }
}
