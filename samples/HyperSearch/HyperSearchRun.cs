using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Distributed;
using ModelC.Runtime.Classical;

namespace ModelC.Samples.HyperSearch;

/// <summary>One scored configuration, in the order the search asked for it, and why it was chosen.</summary>
internal sealed record ScoredConfiguration(int Index, EvaluationSource Source, int Width, float LearningRate, CrossValidationScore Score);

/// <summary>Both searches over the same space, data, folds and budget.</summary>
internal sealed record HyperSearchResult(IReadOnlyList<ScoredConfiguration> Bayesian, IReadOnlyList<ScoredConfiguration> Random)
{
    public ScoredConfiguration BestBayesian => Bayesian.MinBy(c => c.Score.Loss)!;

    public ScoredConfiguration BestRandom => Random.MinBy(c => c.Score.Loss)!;
}

/// <summary>
/// Tunes the learning rate and the hidden width of the two-moons classifier by Gaussian-process
/// Bayesian optimization, and runs random search with the same budget and seed beside it (its
/// first draws are the optimizer's initial points), both scoring by k-fold cross-validated loss.
/// Under mpiexec the Gaussian-process search proposes one candidate per process each round
/// (kriging believer) and the processes score them in parallel.
/// </summary>
internal static class HyperSearchRun
{
    /// <summary>The hidden widths moons.model declares: 2^1 to 2^6.</summary>
    public const int MinLog2Width = 1, MaxLog2Width = 6;

    public static SearchSpace Space { get; } = new(
        SearchDimension.Continuous("learning_rate", 1e-4, 1.0, log: true),
        SearchDimension.Integer("log2_width", MinLog2Width, MaxLog2Width));

    /// <param name="onEvaluation">Told of each configuration as soon as it is scored: the search's name and the result.</param>
    public static HyperSearchResult Run(
        CrossValidation validation, int budget, int initialPoints, int seed, Action<string, ScoredConfiguration>? onEvaluation = null) =>
        new(RunBayesian(validation, budget, initialPoints, seed, onEvaluation), RunRandom(validation, budget, seed, onEvaluation));

    /// <summary>The Gaussian-process search alone, one candidate at a time.</summary>
    public static IReadOnlyList<ScoredConfiguration> RunBayesian(
        CrossValidation validation, int budget, int initialPoints, int seed, Action<string, ScoredConfiguration>? onEvaluation = null)
    {
        var bayesian = new List<ScoredConfiguration>();
        BayesianOptimizer.Minimize(
            Space,
            Objective(validation, bayesian, index => index < initialPoints ? EvaluationSource.Random : EvaluationSource.ExpectedImprovement, "Bayesian", onEvaluation),
            budget,
            seed,
            initialPoints);
        return bayesian;
    }

    /// <summary>Random search alone: the baseline, with the budget and seed of the Gaussian-process search.</summary>
    public static IReadOnlyList<ScoredConfiguration> RunRandom(
        CrossValidation validation, int budget, int seed, Action<string, ScoredConfiguration>? onEvaluation = null)
    {
        var random = new List<ScoredConfiguration>();
        RandomSearch.Minimize(Space, Objective(validation, random, _ => EvaluationSource.Random, "Random", onEvaluation), budget, seed);
        return random;
    }

    /// <summary>
    /// The Gaussian-process search in rounds of <paramref name="batchSize"/> candidates scored one after
    /// another in this process: what <see cref="RunDistributed"/> computes, without MPI.
    /// </summary>
    public static IReadOnlyList<ScoredConfiguration> RunBatch(CrossValidation validation, int budget, int initialPoints, int seed, int batchSize)
    {
        var scored = new List<ScoredConfiguration>();
        var objective = Objective(validation, scored, index => index < initialPoints ? EvaluationSource.Random : EvaluationSource.ExpectedImprovement, "Bayesian", null);
        BayesianOptimizer.MinimizeBatch(Space, batch => batch.Select(objective).ToArray(), budget, batchSize, seed, initialPoints);
        return scored;
    }

    /// <summary>
    /// The Gaussian-process search across the processes of <paramref name="group"/>: each round rank 0
    /// proposes one candidate per process (kriging believer), every process cross-validates its own,
    /// and rank 0 gathers loss and accuracy. Every rank calls this with the same arguments.
    /// </summary>
    /// <param name="onEvaluation">Told on rank 0 of each configuration once its round is gathered.</param>
    /// <returns>On rank 0 the scored configurations in the search's order; null on the other ranks.</returns>
    public static IReadOnlyList<ScoredConfiguration>? RunDistributed(
        CrossValidation validation, int budget, int initialPoints, int seed, MpiGroup group, Action<ScoredConfiguration>? onEvaluation = null)
    {
        var scored = new List<ScoredConfiguration>();
        DistributedSearchResult? result = DistributedSearch.Minimize(
            group,
            Space,
            parameters =>
            {
                CrossValidationScore score = validation.Score(WidthOf(parameters), LearningRateOf(parameters));
                return [score.Loss, score.Accuracy];
            },
            reportLength: 2,
            budget,
            batchSize: group.Size,
            seed,
            initialPoints,
            onRound: (first, configurations, reports) =>
            {
                for (int i = 0; i < configurations.Count; i++)
                {
                    int index = first + i;
                    var entry = new ScoredConfiguration(
                        index, index < initialPoints ? EvaluationSource.Random : EvaluationSource.ExpectedImprovement,
                        WidthOf(configurations[i]), LearningRateOf(configurations[i]), new CrossValidationScore(reports[i][0], reports[i][1]));
                    scored.Add(entry);
                    onEvaluation?.Invoke(entry);
                }
            });
        return result is null ? null : scored;
    }

    private static int WidthOf(IReadOnlyDictionary<string, double> parameters) => 1 << (int)parameters["log2_width"];

    private static float LearningRateOf(IReadOnlyDictionary<string, double> parameters) => (float)parameters["learning_rate"];

    private static Func<IReadOnlyDictionary<string, double>, double> Objective(
        CrossValidation validation,
        List<ScoredConfiguration> scored,
        Func<int, EvaluationSource> sourceOf,
        string search,
        Action<string, ScoredConfiguration>? onEvaluation)
    {
        return parameters =>
        {
            var entry = new ScoredConfiguration(scored.Count, sourceOf(scored.Count), WidthOf(parameters), LearningRateOf(parameters), validation.Score(WidthOf(parameters), LearningRateOf(parameters)));
            scored.Add(entry);
            onEvaluation?.Invoke(search, entry);
            return entry.Score.Loss;
        };
    }
}
