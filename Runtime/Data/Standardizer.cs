using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Runtime.Data;

/// <summary>
/// Z-score standardization: each feature minus its training mean, divided by its training
/// standard deviation (population, as scikit-learn's StandardScaler). A feature constant in
/// training is only centred, not divided by zero.
/// </summary>
public sealed class Standardizer : ColumnScaler
{
    private Standardizer(string columnName, int[] shape, float[] mean, float[] deviation)
        : base(columnName, shape, Array.ConvertAll(mean, m => (double)m), Array.ConvertAll(deviation, d => d == 0 ? 1.0 : 1.0 / d), new double[mean.Length])
    {
        // Built from the float statistics, so a scaler rebuilt from saved ones maps bit for bit the same.
        Mean = mean;
        StandardDeviation = deviation;
    }

    /// <summary>Each feature's mean over the training examples.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Each feature's population standard deviation over the training examples; 0 for a constant feature.</summary>
    public IReadOnlyList<float> StandardDeviation { get; }

    /// <summary>Fits on column <paramref name="column"/> of <paramref name="train"/> only.</summary>
    public static Standardizer Fit(Dataset train, string column)
    {
        DatasetColumn values = FittableColumn(train, column);
        int features = values.ExampleSize;
        var mean = new double[features];
        var deviation = new double[features];
        for (int example = 0; example < values.Count; example++)
        {
            ReadOnlySpan<float> x = values.FloatsOf(example);
            for (int j = 0; j < features; j++)
            {
                mean[j] += x[j];
            }
        }

        for (int j = 0; j < features; j++)
        {
            mean[j] /= values.Count;
        }

        // Two passes: summing squared deviations from the mean loses nothing to cancellation.
        for (int example = 0; example < values.Count; example++)
        {
            ReadOnlySpan<float> x = values.FloatsOf(example);
            for (int j = 0; j < features; j++)
            {
                double d = x[j] - mean[j];
                deviation[j] += d * d;
            }
        }

        for (int j = 0; j < features; j++)
        {
            deviation[j] = Math.Sqrt(deviation[j] / values.Count);
        }

        return new Standardizer(values.Name, values.Shape.ToArray(), Array.ConvertAll(mean, m => (float)m), Array.ConvertAll(deviation, d => (float)d));
    }

    /// <summary>
    /// The scaler <see cref="Fit"/> gave, rebuilt from its <see cref="Mean"/> and
    /// <see cref="StandardDeviation"/> (as saved with the weights); it maps values bit for bit
    /// as the fitted one did.
    /// </summary>
    /// <param name="column">The name of the column it scales.</param>
    /// <param name="shape">The column's per-example shape; default one axis of <paramref name="mean"/>'s length.</param>
    public static Standardizer FromStatistics(string column, IReadOnlyList<float> mean, IReadOnlyList<float> standardDeviation, int[]? shape = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Count == 0 || mean.Count != standardDeviation.Count)
        {
            throw new ArgumentException(
                $"A standardizer needs one mean and one standard deviation per feature; got {mean.Count} means and {standardDeviation.Count} deviations.",
                nameof(standardDeviation));
        }

        shape ??= [mean.Count];
        if (shape.Any(d => d <= 0) || shape.Aggregate(1L, (product, d) => product * d) != mean.Count)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] does not hold {mean.Count} features.", nameof(shape));
        }

        for (int j = 0; j < mean.Count; j++)
        {
            if (!float.IsFinite(mean[j]) || !float.IsFinite(standardDeviation[j]) || standardDeviation[j] < 0)
            {
                throw new ArgumentException(
                    $"Feature {j} has mean {mean[j]} and standard deviation {standardDeviation[j]}; both must be finite and the deviation ≥ 0.",
                    nameof(standardDeviation));
            }
        }

        return new Standardizer(column, shape.ToArray(), mean.ToArray(), standardDeviation.ToArray());
    }

    /// <summary>
    /// How far apart the features' scales are: the largest standard deviation over the smallest
    /// non-zero one (1 for a single feature or constant ones). Above about 100, gradient descent
    /// on the raw features crawls along the small ones; standardize first.
    /// </summary>
    public double ScaleRatio
    {
        get
        {
            float[] spreads = StandardDeviation.Where(d => d > 0).ToArray();
            return spreads.Length == 0 ? 1 : (double)spreads.Max() / spreads.Min();
        }
    }
}
