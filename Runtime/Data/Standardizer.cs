using System;
using System.Collections.Generic;

namespace ModelC.Runtime.Data;

/// <summary>
/// Z-score standardization: each feature minus its training mean, divided by its training
/// standard deviation (population, as scikit-learn's StandardScaler). A feature constant in
/// training is only centred, not divided by zero.
/// </summary>
public sealed class Standardizer : ColumnScaler
{
    private Standardizer(DatasetColumn column, double[] mean, double[] deviation)
        : base(column, mean, Array.ConvertAll(deviation, d => d == 0 ? 1.0 : 1.0 / d), new double[mean.Length])
    {
        Mean = AsFloats(mean);
        StandardDeviation = AsFloats(deviation);
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

        return new Standardizer(values, mean, deviation);
    }
}
