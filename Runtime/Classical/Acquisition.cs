using System;
using MathNet.Numerics.Distributions;

namespace ModelC.Runtime.Classical;

/// <summary>Acquisition functions that rank candidate points by a Gaussian-process posterior.</summary>
public static class Acquisition
{
    /// <summary>
    /// Expected improvement for <b>minimization</b>: E[max(best − f − xi, 0)] for f ~ N(mean, std²).
    /// With I = best − mean − xi and z = I / std it is I·Φ(z) + std·φ(z); when std is 0 it is max(I, 0).
    /// </summary>
    /// <param name="mean">Posterior mean at the candidate.</param>
    /// <param name="std">Posterior standard deviation at the candidate (≥ 0).</param>
    /// <param name="best">Lowest objective value observed so far.</param>
    /// <param name="xi">Required margin of improvement (≥ 0); larger values favour exploring uncertain regions.</param>
    public static double ExpectedImprovement(double mean, double std, double best, double xi = 0.01)
    {
        DataChecks.RequireFinite(mean, nameof(mean), "mean");
        DataChecks.NonNegative(std, nameof(std));
        DataChecks.RequireFinite(best, nameof(best), "best");
        DataChecks.NonNegative(xi, nameof(xi));
        double improvement = best - mean - xi;
        if (std == 0)
            return Math.Max(improvement, 0);
        double z = improvement / std;
        return improvement * Normal.CDF(0, 1, z) + std * Normal.PDF(0, 1, z);
    }
}
