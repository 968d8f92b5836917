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
/// <see cref="Acquisition.ExpectedImprovement"/>. <see cref="MinimizeBatch"/> proposes several
/// candidates per round for objectives evaluated in parallel.
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
            run.Evaluate(NextPosition(space, run.Positions.ToArray(), run.History.Select(e => e.Value).ToArray(), candidates, xi, random).Position, EvaluationSource.ExpectedImprovement);
        return run.Result();
    }

    /// <summary>
    /// <see cref="Minimize"/> in rounds of <paramref name="batchSize"/> configurations, each round
    /// scored by one call of <paramref name="evaluateBatch"/> (which may spread it over processes:
    /// see ModelC.Distributed's DistributedSearch). Within a round the candidates are chosen one
    /// after another by expected improvement, each pending one entered into the surrogate with a
    /// made-up value (<paramref name="strategy"/>) so that the next looks elsewhere. With a batch
    /// of 1 this is <see cref="Minimize"/> exactly.
    /// </summary>
    /// <param name="evaluateBatch">Scores a list of configurations; returns one finite value per configuration, in order.</param>
    /// <param name="batchSize">Configurations per round (q); the last round may be smaller to keep to the budget.</param>
    /// <param name="strategy">The value a pending candidate stands in with until it is scored.</param>
    public static SearchResult MinimizeBatch(SearchSpace space,
        Func<IReadOnlyList<IReadOnlyDictionary<string, double>>, IReadOnlyList<double>> evaluateBatch, int budget, int batchSize,
        int seed = 0, int initialPoints = 5, BatchStrategy strategy = BatchStrategy.KrigingBeliever, int candidates = 2000, double xi = 0.01)
    {
        var run = new SearchRun(space, evaluateBatch, budget);
        DataChecks.AtLeast(batchSize, 1, nameof(batchSize));
        DataChecks.AtLeast(initialPoints, 1, nameof(initialPoints));
        DataChecks.AtLeast(candidates, 1, nameof(candidates));
        DataChecks.NonNegative(xi, nameof(xi));
        if (!Enum.IsDefined(strategy))
            throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown batch strategy.");

        var random = new Xoshiro256StarStar(seed);
        int initial = Math.Min(initialPoints, budget);
        while (run.History.Count < initial)
        {
            int count = Math.Min(batchSize, initial - run.History.Count);
            run.Evaluate(Enumerable.Range(0, count).Select(_ => space.SampleUnit(random)).ToArray(), EvaluationSource.Random);
        }

        while (run.History.Count < budget)
        {
            var positions = run.Positions.ToList();
            var values = run.History.Select(e => e.Value).ToList();
            double observedMinimum = values.Min();
            var round = new List<double[]>();
            for (int k = 0; k < Math.Min(batchSize, budget - run.History.Count); k++)
            {
                (double[] next, double predicted) = NextPosition(space, positions.ToArray(), values.ToArray(), candidates, xi, random);
                round.Add(next);
                positions.Add(next);
                values.Add(strategy == BatchStrategy.KrigingBeliever ? predicted : observedMinimum);
            }
            run.Evaluate(round, EvaluationSource.ExpectedImprovement);
        }
        return run.Result();
    }

    /// <summary>The candidate with the largest expected improvement, and the surrogate's mean there.</summary>
    private static (double[] Position, double PredictedMean) NextPosition(
        SearchSpace space, double[][] positions, double[] values, int candidateCount, double xi, Random random)
    {
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
        return (candidates[chosen], prediction.Mean[chosen]);
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
