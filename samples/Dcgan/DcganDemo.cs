using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Training;

namespace ModelC.Samples.Dcgan;

/// <summary>
/// How the judge sees a set of images: the share of images in each class it picks, the classes
/// with at least <see cref="DcganDemo.CoverageShare"/> of them, its mean confidence, and the
/// Inception-style score exp(E[KL(p(y|x) || p(y))]): 1 for images that all look alike or that no
/// class fits, up to 10 for confident images spread over all ten classes.
/// </summary>
public sealed record JudgeScore(double[] ClassShares, int ClassesCovered, double MeanConfidence, double Score);

/// <summary>The generated images at one step, from fixed noise, and what the judge makes of them.</summary>
public sealed record Snapshot(int Step, float[] Images, JudgeScore Judged);

public sealed record DcganRun(IReadOnlyList<Snapshot> Snapshots, JudgeScore RealTest, double JudgeAccuracy)
{
    public Snapshot Final => Snapshots[^1];
}

/// <summary>
/// Alternating DCGAN training, as samples/Gan does for points: each step the discriminator takes
/// one TrainStep on a batch of real images (label 1) and as many generated ones (label 0); then the
/// generated images are judged as if real, and the discriminator's input gradient drives the
/// generator's Backward (the non-saturating loss −log D(G(z))) and its optimizer's step.
/// </summary>
public static class DcganDemo
{
    public const int NoiseSize = 32, Pixels = 784, EvaluationImages = 1000;

    /// <summary>A class counts as covered when it gets at least this share of the generated images (1/10 would be even).</summary>
    public const double CoverageShare = 0.02;

    public static DcganRun Run(IModel generator, IModel discriminator, IModel judge, Dataset train, Dataset test, int steps, int seed, int snapshotEvery = 250)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(discriminator);
        var judgeTrainer = new Trainer(judge, new TrainerOptions { Seed = seed });
        judgeTrainer.Fit(train);
        double judgeAccuracy = judgeTrainer.Evaluate(test).Accuracy ?? double.NaN;
        float[] realTest = test["x"].Floats.ToArray();
        JudgeScore realScore = Judge(judge, realTest.AsSpan(0, EvaluationImages * Pixels).ToArray());

        int batch = discriminator.TrainingDefaults.Batch ?? 64;
        float[] realImages = train["x"].Floats.ToArray();
        int realCount = realImages.Length / Pixels;
        var random = new ModelRandom(seed);
        var noise = new float[batch * NoiseSize];
        var fake = new float[batch * Pixels];
        var both = new float[2 * batch * Pixels];
        var labels = Enumerable.Repeat(1f, batch).Concat(Enumerable.Repeat(0f, batch)).ToArray();
        var allReal = Enumerable.Repeat(1f, batch).ToArray();
        var fakeGradient = new float[fake.Length];
        var generate = new ModelData().Set("z", noise).Set("image", fake);
        var judgeBoth = new ModelData().Set("x", both).Set("real", labels);
        var judgeFake = new ModelData().Set("x", fake).Set("real", allReal);
        var wantFakeGradient = new ModelData().Set("x", fakeGradient);
        var driveGenerator = new ModelData().Set("image", fakeGradient);
        var snapshots = new List<Snapshot> { Evaluate(generator, judge, 0, seed) };

        for (int step = 1; step <= steps; step++)
        {
            for (int i = 0; i < batch; i++)
            {
                int k = random.NextInt(realCount);
                realImages.AsSpan(k * Pixels, Pixels).CopyTo(both.AsSpan(i * Pixels));
            }

            random.FillNormal(noise, 0f, 1f);
            generator.Forward(generate, training: true);
            fake.CopyTo(both.AsSpan(batch * Pixels));
            discriminator.TrainStep(judgeBoth);

            random.FillNormal(noise, 0f, 1f);
            generator.Forward(generate, training: true);
            discriminator.ForwardBackward(judgeFake, wantFakeGradient);
            generator.Backward(driveGenerator, null);
            generator.Optimizer.Step(generator.Parameters, generator.Gradients);

            if (step % snapshotEvery == 0 || step == steps) snapshots.Add(Evaluate(generator, judge, step, seed));
        }

        return new DcganRun(snapshots, realScore, judgeAccuracy);
    }

    /// <summary>EvaluationImages images from fixed noise (inference mode: batchnorm's running statistics), and the judge's view of them.</summary>
    public static Snapshot Evaluate(IModel generator, IModel judge, int step, int seed)
    {
        var noise = new float[EvaluationImages * NoiseSize];
        new ModelRandom(seed + 1_000_003).FillNormal(noise, 0f, 1f);
        var images = new float[EvaluationImages * Pixels];
        generator.Forward(new ModelData().Set("z", noise).Set("image", images), training: false);
        return new Snapshot(step, images, Judge(judge, images));
    }

    public static JudgeScore Judge(IModel judge, float[] images)
    {
        int count = images.Length / Pixels;
        var logits = new float[count * 10];
        judge.Forward(new ModelData().Set("x", images).Set("logits", logits), training: false);
        var probabilities = new double[count, 10];
        var marginal = new double[10];
        var shares = new double[10];
        double confidence = 0;
        for (int n = 0; n < count; n++)
        {
            var row = logits.AsSpan(n * 10, 10);
            float max = float.NegativeInfinity;
            int best = 0;
            for (int c = 0; c < 10; c++)
            {
                if (row[c] > max) (max, best) = (row[c], c);
            }

            double sum = 0;
            for (int c = 0; c < 10; c++) sum += Math.Exp(row[c] - max);
            for (int c = 0; c < 10; c++)
            {
                probabilities[n, c] = Math.Exp(row[c] - max) / sum;
                marginal[c] += probabilities[n, c] / count;
            }

            shares[best] += 1.0 / count;
            confidence += probabilities[n, best] / count;
        }

        double kl = 0;
        for (int n = 0; n < count; n++)
            for (int c = 0; c < 10; c++)
                if (probabilities[n, c] > 0) kl += probabilities[n, c] * Math.Log(probabilities[n, c] / marginal[c]) / count;
        return new JudgeScore(shares, shares.Count(s => s >= CoverageShare), confidence, Math.Exp(kl));
    }
}
