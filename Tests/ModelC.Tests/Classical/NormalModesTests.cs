using System;
using System.Linq;
using ModelC.Runtime.Classical;
using ModelC.Samples.NormalModes;
using Xunit;

namespace ModelC.Tests.Classical;

/// <summary>PCA on the motion of two coupled pendulums finds the normal modes; their frequencies match the formulas.</summary>
public class NormalModesTests
{
    private static readonly CoupledPendulums Pendulums = new(Gravity: 9.81, Length: 1.0, Mass: 1.0, SpringConstant: 4.0);

    // Unequal mode amplitudes (in phase 0.07, anti-phase 0.03) so PCA has distinct variances to separate.
    private static readonly Trajectory Motion = Pendulums.Simulate(x1: 0.10, x2: 0.04, duration: 60, timeStep: 1e-3, recordEvery: 10);

    [Fact]
    public void Principal_components_are_the_in_phase_and_anti_phase_modes()
    {
        var pca = Pca.Fit(Motion.Positions);
        double r = 1 / Math.Sqrt(2);
        Assert.True(Math.Abs(pca.Components[0][0] * r + pca.Components[0][1] * r) > 0.999, $"first component {pca.Components[0][0]}, {pca.Components[0][1]}");
        Assert.True(Math.Abs(pca.Components[1][0] * r - pca.Components[1][1] * r) > 0.999, $"second component {pca.Components[1][0]}, {pca.Components[1][1]}");
        // Mode variances are amplitude²/2: 0.07²/2 and 0.03²/2, so the ratio is 49/58.
        Assert.Equal(49.0 / 58, pca.ExplainedVarianceRatio[0], 2);
    }

    [Fact]
    public void Mode_frequencies_are_within_two_percent_of_the_formulas()
    {
        var projections = Pca.Fit(Motion.Positions).Transform(Motion.Positions);
        double inPhase = CoupledPendulums.AngularFrequencyFromZeroCrossings(Motion.Times, projections.Select(p => p[0]).ToArray());
        double antiPhase = CoupledPendulums.AngularFrequencyFromZeroCrossings(Motion.Times, projections.Select(p => p[1]).ToArray());

        Assert.Equal(Math.Sqrt(9.81), Pendulums.InPhaseAngularFrequency, 12);
        Assert.Equal(Math.Sqrt(9.81 + 8), Pendulums.AntiPhaseAngularFrequency, 12);
        Assert.InRange(inPhase / Pendulums.InPhaseAngularFrequency, 0.98, 1.02);
        Assert.InRange(antiPhase / Pendulums.AntiPhaseAngularFrequency, 0.98, 1.02);
    }

    [Fact]
    public void Zero_crossing_estimate_recovers_a_pure_cosine()
    {
        var times = Enumerable.Range(0, 5001).Select(i => i * 0.01).ToArray();
        var signal = times.Select(t => Math.Cos(2.5 * t + 0.3)).ToArray();
        Assert.Equal(2.5, CoupledPendulums.AngularFrequencyFromZeroCrossings(times, signal), 3);
    }
}
