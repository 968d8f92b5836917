using System;
using ModelC.Runtime;

namespace ModelC.Samples.LinearRegression;

/// <summary>Noisy samples of the plane y = 3 x1 − 2 x2 + 0.5, with x uniform in [-1, 1]².</summary>
public sealed class LinearData
{
    public static readonly (double W1, double W2, double B) TruePlane = (3.0, -2.0, 0.5);

    private LinearData(float[] features, float[] targets, double noise)
    {
        Features = features;
        Targets = targets;
        Noise = noise;
    }

    /// <summary>Row-major [Count, 2].</summary>
    public float[] Features { get; }

    public float[] Targets { get; }

    /// <summary>Standard deviation of the Gaussian noise added to each target.</summary>
    public double Noise { get; }

    public int Count => Targets.Length;

    public static LinearData Generate(int seed, int count = 400, double noise = 0.3)
    {
        if (count < 3)
            throw new ArgumentOutOfRangeException(nameof(count), count, "At least three points are needed to fit a plane.");
        if (!(noise >= 0) || double.IsInfinity(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise must be a finite standard deviation >= 0.");

        var random = new ModelRandom(seed);
        var features = new float[count * 2];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            float x1 = 2 * random.NextFloat() - 1, x2 = 2 * random.NextFloat() - 1;
            features[2 * i] = x1;
            features[2 * i + 1] = x2;
            targets[i] = (float)(TruePlane.W1 * x1 + TruePlane.W2 * x2 + TruePlane.B + noise * random.NextNormal());
        }

        return new LinearData(features, targets, noise);
    }

    /// <summary>The features as double rows, the form the closed-form solver takes.</summary>
    public double[][] FeatureRows()
    {
        var rows = new double[Count][];
        for (int i = 0; i < Count; i++)
            rows[i] = new double[] { Features[2 * i], Features[2 * i + 1] };
        return rows;
    }

    public double[] TargetValues() => Array.ConvertAll(Targets, t => (double)t);
}
