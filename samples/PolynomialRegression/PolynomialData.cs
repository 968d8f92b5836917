using System;
using ModelC.Runtime;

namespace ModelC.Samples.PolynomialRegression;

/// <summary>
/// Noisy samples of y = sin(2πx) for x uniform in [0, 1], drawn independently for a training,
/// a validation and a test set. Models see x rescaled to [-1, 1]: there the powers x^d of a
/// degree-12 polynomial stay within [-1, 1] instead of shrinking towards 0.
/// </summary>
public sealed class PolynomialData
{
    private PolynomialData(Split training, Split validation, Split test, double noise)
    {
        Training = training;
        Validation = validation;
        Test = test;
        Noise = noise;
    }

    public Split Training { get; }

    /// <summary>Used to choose the degree.</summary>
    public Split Validation { get; }

    /// <summary>Looked at once, for the chosen degree: an estimate not biased by the choice.</summary>
    public Split Test { get; }

    /// <summary>Standard deviation of the Gaussian noise on y; σ² is the best MSE any model can expect on new data.</summary>
    public double Noise { get; }

    public static PolynomialData Generate(int seed, int trainingCount = 20, int validationCount = 20, int testCount = 20, double noise = 0.3)
    {
        if (!(noise >= 0) || double.IsInfinity(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise must be a finite standard deviation >= 0.");
        var random = new ModelRandom(seed);
        return new PolynomialData(
            Draw(random, trainingCount, noise, nameof(trainingCount)),
            Draw(random, validationCount, noise, nameof(validationCount)),
            Draw(random, testCount, noise, nameof(testCount)),
            noise);
    }

    /// <summary>The noise-free function.</summary>
    public static double Truth(double x) => Math.Sin(2 * Math.PI * x);

    /// <summary>x in [0, 1] to the model's input scale [-1, 1].</summary>
    public static float Scale(double x) => (float)(2 * x - 1);

    private static Split Draw(ModelRandom random, int count, double noise, string argument)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(argument, count, "Every split needs at least one point.");
        var inputs = new float[count];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            // A jittered grid: random, yet without the gaps plain uniform draws leave, where a
            // high-degree polynomial would swing freely and make every run a different story.
            double x = (i + random.NextDouble()) / count;
            inputs[i] = Scale(x);
            targets[i] = (float)(Truth(x) + noise * random.NextNormal());
        }

        return new Split(inputs, targets);
    }

    /// <summary>Model inputs (x rescaled to [-1, 1]) and noisy targets.</summary>
    public sealed record Split(float[] Inputs, float[] Targets)
    {
        public int Count => Targets.Length;
    }
}
