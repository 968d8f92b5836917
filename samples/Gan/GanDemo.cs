using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;

namespace ModelC.Samples.Gan;

/// <summary>How close generated points are to the data: within 3 std of a centre, and which modes they reach.</summary>
public readonly record struct SampleQuality(int Step, double NearFraction, int ModesCovered, float[] Points);

public sealed record GanRun(IReadOnlyList<SampleQuality> Snapshots, int Steps, int BatchSize)
{
    public SampleQuality Final => Snapshots[^1];
}

/// <summary>
/// Alternating GAN training of two generated models with a hand-written loop. Each step: the
/// discriminator takes one TrainStep on real points (label 1) and generated ones (label 0);
/// then the generator's points are judged as if real, the discriminator's ForwardBackward gives
/// d(loss)/d(points), and the generator's Backward turns that into its own gradients (the
/// non-saturating loss -log D(G(z))), followed by its optimizer's step.
/// </summary>
public static class GanDemo
{
    public const int NoiseSize = 4, EvaluationPoints = 2000;
    /// <summary>A mode counts as covered when it gets at least this share of the near points (1/8 would be even).</summary>
    public const double CoverageShare = 0.02;

    public static GanRun Run(IModel generator, IModel discriminator, int steps, int seed, int snapshotEvery = 500)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(discriminator);
        int batch = discriminator.TrainingDefaults.Batch ?? 128;
        var random = new ModelRandom(seed);
        var noise = new float[batch * NoiseSize];
        var fake = new float[batch * 2];
        var both = new float[2 * batch * 2];
        var labels = Enumerable.Repeat(1f, batch).Concat(Enumerable.Repeat(0f, batch)).ToArray();
        var allReal = Enumerable.Repeat(1f, batch).ToArray();
        var fakeGradient = new float[fake.Length];
        var generate = new ModelData().Set("z", noise).Set("point", fake);
        var judgeBoth = new ModelData().Set("x", both).Set("real", labels);
        var judgeFake = new ModelData().Set("x", fake).Set("real", allReal);
        var wantFakeGradient = new ModelData().Set("x", fakeGradient);
        var driveGenerator = new ModelData().Set("point", fakeGradient);
        var snapshots = new List<SampleQuality> { Evaluate(generator, 0, seed) };

        for (int step = 1; step <= steps; step++)
        {
            // Discriminator: real points first, then generated ones, in one batch.
            RingOfGaussians.Sample(random, both.AsSpan(0, batch * 2));
            random.FillNormal(noise, 0f, 1f);
            generator.Forward(generate, training: false);
            fake.CopyTo(both.AsSpan(batch * 2));
            discriminator.TrainStep(judgeBoth);

            // Generator: d(discriminator loss on "real" labels)/d(points) drives its Backward.
            random.FillNormal(noise, 0f, 1f);
            generator.Forward(generate, training: true);
            discriminator.ForwardBackward(judgeFake, wantFakeGradient);
            generator.Backward(driveGenerator, null);
            generator.Optimizer.Step(generator.Parameters, generator.Gradients);

            if (step % snapshotEvery == 0 || step == steps) snapshots.Add(Evaluate(generator, step, seed));
        }
        return new GanRun(snapshots, steps, batch);
    }

    /// <summary>Generates EvaluationPoints points from fixed noise and scores them against the mixture.</summary>
    public static SampleQuality Evaluate(IModel generator, int step, int seed)
    {
        var noise = new float[EvaluationPoints * NoiseSize];
        new ModelRandom(seed + 1_000_003).FillNormal(noise, 0f, 1f);
        var points = new float[EvaluationPoints * 2];
        generator.Forward(new ModelData().Set("z", noise).Set("point", points), training: false);
        var perMode = new int[RingOfGaussians.Modes];
        int near = 0;
        for (int k = 0; k < EvaluationPoints; k++)
        {
            var (mode, distance) = RingOfGaussians.Nearest(points[2 * k], points[2 * k + 1]);
            if (distance > 3 * RingOfGaussians.Std) continue;
            near++;
            perMode[mode]++;
        }
        int covered = perMode.Count(c => near > 0 && c >= CoverageShare * near);
        return new SampleQuality(step, near / (double)EvaluationPoints, covered, points);
    }
}
