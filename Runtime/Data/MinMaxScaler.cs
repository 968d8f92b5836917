using System;
using System.Collections.Generic;

namespace ModelC.Runtime.Data;

/// <summary>
/// Min-max scaling: each feature's training range mapped linearly onto [low, high] (by default
/// [0, 1]); data outside the training range lands outside [low, high]. A feature constant in
/// training maps to low.
/// </summary>
public sealed class MinMaxScaler : ColumnScaler
{
    private MinMaxScaler(DatasetColumn column, double[] minimum, double[] maximum, double low, double high)
        : base(column, minimum, Factors(minimum, maximum, low, high), Array.ConvertAll(minimum, _ => low))
    {
        Minimum = AsFloats(minimum);
        Maximum = AsFloats(maximum);
    }

    /// <summary>Each feature's smallest training value.</summary>
    public IReadOnlyList<float> Minimum { get; }

    /// <summary>Each feature's largest training value.</summary>
    public IReadOnlyList<float> Maximum { get; }

    /// <summary>Fits on column <paramref name="column"/> of <paramref name="train"/> only, to map onto [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static MinMaxScaler Fit(Dataset train, string column, float low = 0f, float high = 1f)
    {
        if (!float.IsFinite(low) || !float.IsFinite(high) || !(low < high))
        {
            throw new ArgumentException($"The target range [{low}, {high}] must be finite with low < high.", nameof(high));
        }

        DatasetColumn values = FittableColumn(train, column);
        int features = values.ExampleSize;
        var minimum = new double[features];
        var maximum = new double[features];
        Array.Fill(minimum, double.PositiveInfinity);
        Array.Fill(maximum, double.NegativeInfinity);
        for (int example = 0; example < values.Count; example++)
        {
            ReadOnlySpan<float> x = values.FloatsOf(example);
            for (int j = 0; j < features; j++)
            {
                minimum[j] = Math.Min(minimum[j], x[j]);
                maximum[j] = Math.Max(maximum[j], x[j]);
            }
        }

        return new MinMaxScaler(values, minimum, maximum, low, high);
    }

    private static double[] Factors(double[] minimum, double[] maximum, double low, double high)
    {
        var factors = new double[minimum.Length];
        for (int j = 0; j < factors.Length; j++)
        {
            double range = maximum[j] - minimum[j];
            factors[j] = range == 0 ? 1.0 : (high - low) / range;
        }

        return factors;
    }
}
