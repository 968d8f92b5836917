using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Classical;

namespace ModelC.Distributed;

/// <summary>
/// Gaussian-process hyper-parameter search with the ranks of an MPI job scoring candidates in
/// parallel: every round rank 0 proposes q configurations (<see cref="BayesianOptimizer.MinimizeBatch"/>),
/// broadcasts them, each rank scores every Size-th one (candidate i on rank i mod Size, rank 0
/// included), and rank 0 gathers the scores and fits the surrogate for the next round. Every rank
/// calls <see cref="Minimize"/> with the same arguments; the search is as reproducible as the
/// serial <see cref="BayesianOptimizer.MinimizeBatch"/> with the same seed and q, whose history it equals.
/// </summary>
public static class DistributedSearch
{
    /// <summary>Runs the search across <paramref name="group"/>.</summary>
    /// <param name="objective">Scores one configuration on the calling rank; lower is better; must be finite.</param>
    /// <param name="batchSize">Candidates per round, q; default one per rank.</param>
    /// <returns>On rank 0 the whole search; null on the other ranks.</returns>
    /// <remarks>
    /// Rank 0 waits for the slowest candidate of a round, bounded by the group's timeout: give
    /// <see cref="MpiGroup.Start"/> a timeout above the longest evaluation.
    /// </remarks>
    public static SearchResult? Minimize(
        MpiGroup group, SearchSpace space, Func<IReadOnlyDictionary<string, double>, double> objective, int budget,
        int? batchSize = null, int seed = 0, int initialPoints = 5, BatchStrategy strategy = BatchStrategy.KrigingBeliever)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objective);
        int q = batchSize ?? group.Size;
        if (!group.IsRoot)
        {
            while (ScoreRound(group, space, objective, q, []) > 0)
            {
            }

            return null;
        }

        SearchResult result = BayesianOptimizer.MinimizeBatch(
            space,
            configurations => ScoreOnAllRanks(group, space, objective, q, configurations),
            budget, q, seed, initialPoints, strategy);
        ScoreRound(group, space, objective, q, []);
        return result;
    }

    private static IReadOnlyList<double> ScoreOnAllRanks(
        MpiGroup group, SearchSpace space, Func<IReadOnlyDictionary<string, double>, double> objective, int q,
        IReadOnlyList<IReadOnlyDictionary<string, double>> configurations)
    {
        var values = new double[configurations.Count];
        ScoreRound(group, space, objective, q, configurations, values);
        return values;
    }

    /// <summary>
    /// One round on any rank: rank 0 announces the count and the configurations (a count of 0 ends
    /// the search), every rank scores its share, rank 0 gathers the values into <paramref name="values"/>.
    /// </summary>
    /// <returns>The number of configurations in the round.</returns>
    private static int ScoreRound(
        MpiGroup group, SearchSpace space, Func<IReadOnlyDictionary<string, double>, double> objective, int q,
        IReadOnlyList<IReadOnlyDictionary<string, double>> configurations, double[]? values = null)
    {
        int dimensions = space.Dimensions.Count;
        var announced = new double[1 + (q * dimensions)];
        announced[0] = configurations.Count;
        for (int i = 0; i < configurations.Count; i++)
        {
            for (int d = 0; d < dimensions; d++)
            {
                announced[1 + (i * dimensions) + d] = configurations[i][space.Dimensions[d].Name];
            }
        }

        group.Broadcast(announced);
        int count = (int)announced[0];
        if (count == 0)
        {
            return 0;
        }

        int share = (q + group.Size - 1) / group.Size;
        var mine = new double[share];
        for (int i = group.Rank, slot = 0; i < count; i += group.Size, slot++)
        {
            var configuration = new Dictionary<string, double>(dimensions);
            for (int d = 0; d < dimensions; d++)
            {
                configuration[space.Dimensions[d].Name] = announced[1 + (i * dimensions) + d];
            }

            mine[slot] = objective(configuration);
        }

        var all = new double[group.IsRoot ? share * group.Size : 0];
        group.GatherOnRankZero(mine, all);
        if (values is not null)
        {
            for (int i = 0; i < count; i++)
            {
                values[i] = all[((i % group.Size) * share) + (i / group.Size)];
            }
        }

        return count;
    }
}
