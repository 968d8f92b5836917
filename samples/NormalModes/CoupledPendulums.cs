using System;
using System.Collections.Generic;

namespace ModelC.Samples.NormalModes;

/// <summary>
/// Two pendulums of length l and mass m joined by a spring of constant k, in the small-angle limit:
/// m x1'' = −(mg/l) x1 + k (x2 − x1) and m x2'' = −(mg/l) x2 − k (x2 − x1).
/// Its normal modes are in phase (x1 = x2, ω = sqrt(g/l)) and anti-phase (x1 = −x2, ω = sqrt(g/l + 2k/m)).
/// </summary>
public sealed record CoupledPendulums(double Gravity, double Length, double Mass, double SpringConstant)
{
    public double InPhaseAngularFrequency => Math.Sqrt(Gravity / Length);

    public double AntiPhaseAngularFrequency => Math.Sqrt(Gravity / Length + 2 * SpringConstant / Mass);

    /// <summary>
    /// Integrates from rest at displacements (<paramref name="x1"/>, <paramref name="x2"/>) with classical
    /// fourth-order Runge–Kutta, recording [x1, x2] every <paramref name="recordEvery"/> steps.
    /// </summary>
    public Trajectory Simulate(double x1, double x2, double duration, double timeStep, int recordEvery)
    {
        if (timeStep <= 0 || double.IsNaN(timeStep))
            throw new ArgumentOutOfRangeException(nameof(timeStep), timeStep, "timeStep must be greater than 0.");
        if (duration <= timeStep)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must be longer than one time step.");
        if (recordEvery < 1)
            throw new ArgumentOutOfRangeException(nameof(recordEvery), recordEvery, "recordEvery must be at least 1.");

        int steps = (int)Math.Round(duration / timeStep);
        var state = new[] { x1, x2, 0.0, 0.0 };         // x1, x2, v1, v2
        var times = new List<double>();
        var positions = new List<double[]>();
        for (int step = 0; step <= steps; step++)
        {
            if (step % recordEvery == 0)
            {
                times.Add(step * timeStep);
                positions.Add(new[] { state[0], state[1] });
            }
            state = RungeKuttaStep(state, timeStep);
        }
        return new Trajectory(times.ToArray(), positions.ToArray());
    }

    private double[] Derivative(double[] s)
    {
        double pendulum = Gravity / Length, spring = SpringConstant / Mass;
        return new[]
        {
            s[2],
            s[3],
            -pendulum * s[0] + spring * (s[1] - s[0]),
            -pendulum * s[1] - spring * (s[1] - s[0]),
        };
    }

    private double[] RungeKuttaStep(double[] s, double h)
    {
        var k1 = Derivative(s);
        var k2 = Derivative(Add(s, k1, h / 2));
        var k3 = Derivative(Add(s, k2, h / 2));
        var k4 = Derivative(Add(s, k3, h));
        var next = new double[s.Length];
        for (int i = 0; i < s.Length; i++)
            next[i] = s[i] + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        return next;
    }

    private static double[] Add(double[] s, double[] direction, double scale)
    {
        var result = new double[s.Length];
        for (int i = 0; i < s.Length; i++)
            result[i] = s[i] + scale * direction[i];
        return result;
    }

    /// <summary>
    /// Angular frequency of a zero-mean oscillation from its zero crossings: consecutive crossings are half a
    /// period apart, so ω = π · (crossings − 1) / (last crossing − first crossing). Crossing times are linearly interpolated.
    /// </summary>
    public static double AngularFrequencyFromZeroCrossings(IReadOnlyList<double> times, IReadOnlyList<double> signal)
    {
        if (times.Count != signal.Count)
            throw new ArgumentException($"times has {times.Count} values but signal has {signal.Count}.", nameof(signal));
        double mean = 0;
        foreach (double v in signal)
            mean += v / signal.Count;

        var crossings = new List<double>();
        for (int i = 1; i < signal.Count; i++)
        {
            double a = signal[i - 1] - mean, b = signal[i] - mean;
            if (a == 0 || a * b < 0)
                crossings.Add(times[i - 1] + (times[i] - times[i - 1]) * a / (a - b));
        }
        if (crossings.Count < 3)
            throw new ArgumentException($"The signal crosses its mean only {crossings.Count} time(s); record a longer trajectory.", nameof(signal));
        return Math.PI * (crossings.Count - 1) / (crossings[^1] - crossings[0]);
    }
}

/// <summary>Recorded times and [x1, x2] rows of a simulation.</summary>
public sealed record Trajectory(double[] Times, double[][] Positions);
