using System;

namespace ModelC.Runtime.Training;

/// <summary>
/// Mean squared error and the coefficient of determination R², accumulated batch by batch
/// in double precision so a long evaluation does not lose digits.
/// </summary>
public sealed class RegressionMetrics
{
    private double sumSquaredError;
    private double sumTarget;
    private double sumTargetSquared;

    /// <summary>The number of values (not examples) counted.</summary>
    public long Count { get; private set; }

    /// <summary>Mean over all values of (prediction - target)²; NaN when nothing was counted.</summary>
    public double MeanSquaredError => Count == 0 ? double.NaN : sumSquaredError / Count;

    /// <summary>
    /// 1 - SSE / SST: 1 for perfect predictions, 0 for always predicting the targets' mean;
    /// NaN when the targets do not vary.
    /// </summary>
    public double RSquared
    {
        get
        {
            if (Count == 0)
            {
                return double.NaN;
            }

            double totalSquares = sumTargetSquared - (sumTarget * sumTarget / Count);
            return totalSquares <= 0 ? double.NaN : 1 - (sumSquaredError / totalSquares);
        }
    }

    /// <summary>Counts predictions against targets, value by value.</summary>
    public void Add(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        if (predictions.Length != targets.Length)
        {
            throw new ArgumentException(
                $"There are {predictions.Length} predictions but {targets.Length} targets.", nameof(targets));
        }

        for (int i = 0; i < targets.Length; i++)
        {
            double error = (double)predictions[i] - targets[i];
            sumSquaredError += error * error;
            sumTarget += targets[i];
            sumTargetSquared += (double)targets[i] * targets[i];
        }

        Count += targets.Length;
    }
}
