using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Classical;

namespace ModelC.Samples.HyperSearch;

/// <summary>One scored configuration, in the order the search asked for it, and why it was chosen.</summary>
public sealed record ScoredConfiguration(int Index, EvaluationSource Source, int Width, float LearningRate, CrossValidationScore Score);

/// <summary>Both searches over the same space, data, folds and budget.</summary>
public sealed record HyperSearchResult(IReadOnlyList<ScoredConfiguration> Bayesian, IReadOnlyList<ScoredConfiguration> Random)
{
    public ScoredConfiguration BestBayesian => Bayesian.MinBy(c => c.Score.Loss)!;

    public ScoredConfiguration BestRandom => Random.MinBy(c => c.Score.Loss)!;
}

/// <summary>
/// Tunes the learning rate and the hidden width of the two-moons classifier by Gaussian-process
/// Bayesian optimization, and runs random search with the same budget and seed beside it (its
/// first draws are the optimizer's initial points), both scoring by k-fold cross-validated loss.
/// </summary>
public static class HyperSearchRun
{
    /// <summary>The hidden widths moons.model declares: 2^1 to 2^6.</summary>
    public const int MinLog2Width = 1, MaxLog2Width = 6;

    public static SearchSpace Space { get; } = new(
        SearchDimension.Continuous("learning_rate", 1e-4, 1.0, log: true),
        SearchDimension.Integer("log2_width", MinLog2Width, MaxLog2Width));

    /// <param name="onEvaluation">Told of each configuration as soon as it is scored: the search's name and the result.</param>
    public static HyperSearchResult Run(
        CrossValidation validation, int budget, int initialPoints, int seed, Action<string, ScoredConfiguration>? onEvaluation = null)
    {
        var bayesian = new List<ScoredConfiguration>();
        BayesianOptimizer.Minimize(
            Space,
            Objective(validation, bayesian, index => index < initialPoints ? EvaluationSource.Random : EvaluationSource.ExpectedImprovement, "Bayesian", onEvaluation),
            budget,
            seed,
            initialPoints);
        var random = new List<ScoredConfiguration>();
        RandomSearch.Minimize(Space, Objective(validation, random, _ => EvaluationSource.Random, "Random", onEvaluation), budget, seed);
        return new HyperSearchResult(bayesian, random);
    }

    private static Func<IReadOnlyDictionary<string, double>, double> Objective(
        CrossValidation validation,
        List<ScoredConfiguration> scored,
        Func<int, EvaluationSource> sourceOf,
        string search,
        Action<string, ScoredConfiguration>? onEvaluation)
    {
        return parameters =>
        {
            int width = 1 << (int)parameters["log2_width"];
            float learningRate = (float)parameters["learning_rate"];
            var entry = new ScoredConfiguration(scored.Count, sourceOf(scored.Count), width, learningRate, validation.Score(width, learningRate));
            scored.Add(entry);
            onEvaluation?.Invoke(search, entry);
            return entry.Score.Loss;
        };
    }
}
