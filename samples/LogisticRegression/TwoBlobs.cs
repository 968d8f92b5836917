using System;
using MathNet.Numerics.Distributions;
using ModelC.Runtime;

namespace ModelC.Samples.LogisticRegression;

/// <summary>
/// Two overlapping Gaussian classes in 2-D with identity covariance and equal priors, shuffled
/// and split into training and test sets. For such data the log-odds are exactly linear, so
/// logistic regression can learn the Bayes-optimal rule, and its accuracy is known in closed form.
/// </summary>
public sealed class TwoBlobs
{
    public static readonly (double X1, double X2) Class0Mean = (-1.0, -0.2);
    public static readonly (double X1, double X2) Class1Mean = (1.4, 1.0);

    private TwoBlobs(Split training, Split test)
    {
        Training = training;
        Test = test;
    }

    public Split Training { get; }

    public Split Test { get; }

    /// <summary>
    /// The true log-odds log P(1|x)/P(0|x) = w·x + b with w = μ1 − μ0 and b = (‖μ0‖² − ‖μ1‖²)/2
    /// (identity covariance, equal priors): the coefficients a perfect fit would find.
    /// </summary>
    public static (double W1, double W2, double B) BayesLogOdds => (
        Class1Mean.X1 - Class0Mean.X1,
        Class1Mean.X2 - Class0Mean.X2,
        (Square(Class0Mean.X1) + Square(Class0Mean.X2) - Square(Class1Mean.X1) - Square(Class1Mean.X2)) / 2);

    /// <summary>The best accuracy any classifier can expect on this distribution: Φ(‖μ1 − μ0‖ / 2).</summary>
    public static double BayesAccuracy =>
        Normal.CDF(0, 1, Math.Sqrt(Square(Class1Mean.X1 - Class0Mean.X1) + Square(Class1Mean.X2 - Class0Mean.X2)) / 2);

    public static TwoBlobs Generate(int seed, int perClass = 300, double trainingFraction = 0.7)
    {
        if (perClass < 2)
            throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "Each class needs at least two points.");
        if (!(trainingFraction > 0 && trainingFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainingFraction), trainingFraction, "The training fraction must be strictly between 0 and 1.");

        var random = new ModelRandom(seed);
        int count = 2 * perClass;
        var points = new (float X1, float X2, float Label)[count];
        for (int i = 0; i < count; i++)
        {
            var mean = i < perClass ? Class0Mean : Class1Mean;
            points[i] = ((float)mean.X1 + random.NextNormal(), (float)mean.X2 + random.NextNormal(), i < perClass ? 0f : 1f);
        }

        random.Shuffle(points.AsSpan());
        int trainingCount = (int)Math.Round(count * trainingFraction);
        return new TwoBlobs(ToSplit(points.AsSpan(0, trainingCount)), ToSplit(points.AsSpan(trainingCount)));
    }

    private static Split ToSplit(ReadOnlySpan<(float X1, float X2, float Label)> points)
    {
        var features = new float[points.Length * 2];
        var labels = new float[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            features[2 * i] = points[i].X1;
            features[2 * i + 1] = points[i].X2;
            labels[i] = points[i].Label;
        }

        return new Split(features, labels);
    }

    private static double Square(double value) => value * value;

    /// <summary>Row-major [Count, 2] features and a 0/1 label per row.</summary>
    public sealed record Split(float[] Features, float[] Labels)
    {
        public int Count => Labels.Length;
    }
}
