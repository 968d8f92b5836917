using System;
using System.Collections.Generic;

namespace ModelC.Runtime.Classical;

/// <summary>log Σ exp(v_i) computed by shifting by the maximum, so large negative log densities do not underflow to log 0.</summary>
internal static class LogSumExp
{
    public static double Of(IEnumerable<double> values)
    {
        double maximum = double.NegativeInfinity;
        foreach (double v in values)
            maximum = Math.Max(maximum, v);
        if (double.IsNegativeInfinity(maximum))
            return double.NegativeInfinity;
        double sum = 0;
        foreach (double v in values)
            sum += Math.Exp(v - maximum);
        return maximum + Math.Log(sum);
    }
}
