using System;
using ModelC.Runtime;

namespace ModelC.Samples.Perceptron;

/// <summary>
/// Points in the square [-1, 1]² labelled by which side of a known line they fall on,
/// keeping only points at least <see cref="Margin"/> away from it, so the classes are
/// linearly separable with a margin the perceptron convergence theorem can use.
/// </summary>
public sealed class SeparableData
{
    /// <summary>The true separator x2 = 0.5 x1 + 0.2, written as w·x + b = 0 with a unit normal w.</summary>
    public static readonly (double W1, double W2, double B) TrueLine = Normalize(-0.5, 1.0, -0.2);

    private SeparableData(float[] features, float[] labels, double margin)
    {
        Features = features;
        Labels = labels;
        Margin = margin;
    }

    /// <summary>Row-major [Count, 2]: x1, x2 of each point.</summary>
    public float[] Features { get; }

    /// <summary>-1 or +1 per point: the sign of w·x + b for the true line.</summary>
    public float[] Labels { get; }

    /// <summary>The smallest distance from any point to the true line that generation allowed.</summary>
    public double Margin { get; }

    public int Count => Labels.Length;

    public static SeparableData Generate(int seed, int count = 100, double margin = 0.1)
    {
        if (count < 2)
            throw new ArgumentOutOfRangeException(nameof(count), count, "At least two points are needed.");
        if (!(margin >= 0 && margin < 0.5))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be in [0, 0.5) to leave room in the unit square.");

        var random = new ModelRandom(seed);
        var features = new float[count * 2];
        var labels = new float[count];
        int kept = 0;
        while (kept < count)
        {
            float x1 = 2 * random.NextFloat() - 1, x2 = 2 * random.NextFloat() - 1;
            // Measured on the float values the model will see, so the stated margin holds exactly for them.
            double distance = SignedDistance(x1, x2);
            if (Math.Abs(distance) < margin)
                continue;
            features[2 * kept] = x1;
            features[2 * kept + 1] = x2;
            labels[kept] = distance > 0 ? 1f : -1f;
            kept++;
        }

        return new SeparableData(features, labels, margin);
    }

    /// <summary>Distance of (x1, x2) from the true line, positive on the +1 side.</summary>
    public static double SignedDistance(double x1, double x2) => TrueLine.W1 * x1 + TrueLine.W2 * x2 + TrueLine.B;

    private static (double, double, double) Normalize(double w1, double w2, double b)
    {
        double norm = Math.Sqrt(w1 * w1 + w2 * w2);
        return (w1 / norm, w2 / norm, b / norm);
    }
}
