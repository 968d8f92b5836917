using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace ModelC.Runtime.Classical;

/// <summary>
/// Bayesian optimization of an expensive objective over a <see cref="SearchSpace"/>: a few random
/// configurations, then repeatedly fit a Gaussian process to all results (in the unit cube, targets
/// normalized, length scale chosen by marginal likelihood) and evaluate the candidate with the largest
/// <see cref="Acquisition.ExpectedImprovement"/>.
/// </summary>
public static class BayesianOptimizer
{
    // Length scales (in unit-cube coordinates) tried when refitting the surrogate; the most likely one wins.
    private static readonly double[] LengthScaleGrid = { 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0 };

    private const double SurrogateNoiseVariance = 1e-6;

    // Spread, in unit-cube coordinates, of the candidates drawn around the current best point.
    private const double LocalCandidateSpread = 0.1;

    /// <summary>Minimizes <paramref name="objective"/> with <paramref name="budget"/> evaluations.</summary>
    /// <param name="space">The hyper-parameters and their ranges.</param>
    /// <param name="objective">Scores a configuration (names → values; integers arrive as whole numbers); lower is better; must be finite.</param>
    /// <param name="budget">Total number of objective calls.</param>
    /// <param name="seed">Seeds every random draw, so a seed reproduces the whole search.</param>
    /// <param name="initialPoints">Random configurations before the model is used (the same ones <see cref="RandomSearch"/> draws with this seed).</param>
    /// <param name="candidates">
    /// Random candidates scored by expected improvement each step: half uniform over the space,
    /// half scattered around the best configuration so far to refine it.
    /// </param>
    /// <param name="xi">Exploration margin of the expected improvement, in units of the objective's standard deviation.</param>
    public static SearchResult Minimize(SearchSpace space, Func<IReadOnlyDictionary<string, double>, double> objective, int budget,
        int seed = 0, int initialPoints = 5, int candidates = 2000, double xi = 0.01)
    {
        var run = new SearchRun(space, objective, budget);
        DataChecks.AtLeast(initialPoints, 1, nameof(initialPoints));
        DataChecks.AtLeast(candidates, 1, nameof(candidates));
        DataChecks.NonNegative(xi, nameof(xi));

        var random = new Xoshiro256StarStar(seed);
        for (int i = 0; i < Math.Min(initialPoints, budget); i++)
            run.Evaluate(space.SampleUnit(random), EvaluationSource.Random);

        while (run.History.Count < budget)
            run.Evaluate(NextPosition(space, run, candidates, xi, random), EvaluationSource.ExpectedImprovement);
        return run.Result();
    }

    private static double[] NextPosition(SearchSpace space, SearchRun run, int candidateCount, double xi, Random random)
    {
        var positions = run.Positions.ToArray();
        var values = run.History.Select(e => e.Value).ToArray();
        var surrogate = MostLikelySurrogate(positions, values);

        // The surrogate models normalized values, so the incumbent and xi are compared on that scale.
        double mean = values.Average();
        double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        double scale = std > 0 ? std : 1;
        double best = values.Min();
        double[] incumbent = positions[Array.IndexOf(values, best)];

        var candidates = new double[candidateCount][];
        for (int c = 0; c < candidateCount; c++)
            candidates[c] = c % 2 == 0 ? space.SampleUnit(random) : space.Snap(Perturb(incumbent, random));

        var prediction = surrogate.Predict(candidates);
        int chosen = 0;
        double chosenImprovement = double.NegativeInfinity;
        for (int c = 0; c < candidateCount; c++)
        {
            double improvement = Acquisition.ExpectedImprovement(
                (prediction.Mean[c] - mean) / scale, prediction.StandardDeviation[c] / scale, (best - mean) / scale, xi);
            if (improvement > chosenImprovement)
            {
                chosenImprovement = improvement;
                chosen = c;
            }
        }
        return candidates[chosen];
    }

    private static GaussianProcessRegressor MostLikelySurrogate(double[][] positions, double[] values)
    {
        GaussianProcessRegressor? best = null;
        foreach (double lengthScale in LengthScaleGrid)
        {
            var model = GaussianProcessRegressor.Fit(positions, values, new RbfKernel(lengthScale), SurrogateNoiseVariance, normalizeTargets: true);
            if (best is null || model.LogMarginalLikelihood > best.LogMarginalLikelihood)
                best = model;
        }
        return best!;
    }

    private static double[] Perturb(double[] centre, Random random)
        => centre.Select(u => Math.Clamp(u + Normal.Sample(random, 0, LocalCandidateSpread), 0, 1)).ToArray();
}
