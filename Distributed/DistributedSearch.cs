using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Classical;

namespace ModelC.Distributed;

/// <summary>A distributed search as rank 0 sees it: the search, and every number each evaluation reported.</summary>
/// <param name="Search">The search; its history's values are each report's first number.</param>
/// <param name="Reports">What the objective returned for <c>Search.History[i]</c>, gathered from the rank that scored it.</param>
public sealed record DistributedSearchResult(SearchResult Search, IReadOnlyList<double[]> Reports);

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
        ArgumentNullException.ThrowIfNull(objective);
        return Minimize(group, space, configuration => [objective(configuration)], reportLength: 1, budget, batchSize, seed, initialPoints, strategy)?.Search;
    }

    /// <summary>
    /// The same search with an objective that reports several numbers (a loss to minimize first, then
    /// whatever rank 0 should learn of each evaluation, such as an accuracy); all of them are gathered.
    /// </summary>
    /// <param name="objective">Scores one configuration: <paramref name="reportLength"/> numbers, the first minimized (finite).</param>
    /// <param name="onRound">Called on rank 0 after each round with the round's first index in the history and its reports.</param>
    /// <returns>On rank 0 the search and every report; null on the other ranks.</returns>
    public static DistributedSearchResult? Minimize(
        MpiGroup group, SearchSpace space, Func<IReadOnlyDictionary<string, double>, double[]> objective, int reportLength, int budget,
        int? batchSize = null, int seed = 0, int initialPoints = 5, BatchStrategy strategy = BatchStrategy.KrigingBeliever,
        Action<int, IReadOnlyList<IReadOnlyDictionary<string, double>>, IReadOnlyList<double[]>>? onRound = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(reportLength, 1);
        var round = new Round(group, space, objective, reportLength, batchSize ?? group.Size);
        if (!group.IsRoot)
        {
            while (round.Score([]).Count > 0)
            {
            }

            return null;
        }

        var reports = new List<double[]>();
        SearchResult result = BayesianOptimizer.MinimizeBatch(
            space,
            configurations =>
            {
                var scored = round.Score(configurations);
                onRound?.Invoke(reports.Count, configurations, scored);
                reports.AddRange(scored);
                return scored.Select(r => r[0]).ToArray();
            },
            budget, round.Q, seed, initialPoints, strategy);
        round.Score([]);
        return new DistributedSearchResult(result, reports);
    }

    /// <summary>One round's broadcast, scoring and gather, the same code on every rank.</summary>
    private sealed class Round(
        MpiGroup group, SearchSpace space, Func<IReadOnlyDictionary<string, double>, double[]> objective, int reportLength, int q)
    {
        public int Q => q;

        /// <summary>
        /// Rank 0 announces the count and the configurations (a count of 0 ends the search), every
        /// rank scores its share, rank 0 gathers the reports in the configurations' order.
        /// </summary>
        /// <returns>On rank 0 the reports; elsewhere as many empty reports as the round had configurations.</returns>
        public IReadOnlyList<double[]> Score(IReadOnlyList<IReadOnlyDictionary<string, double>> configurations)
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
                return [];
            }

            int share = (q + group.Size - 1) / group.Size;
            var mine = new double[share * reportLength];
            for (int i = group.Rank, slot = 0; i < count; i += group.Size, slot++)
            {
                var configuration = new Dictionary<string, double>(dimensions);
                for (int d = 0; d < dimensions; d++)
                {
                    configuration[space.Dimensions[d].Name] = announced[1 + (i * dimensions) + d];
                }

                double[] report = objective(configuration);
                if (report is null || report.Length != reportLength)
                {
                    throw new InvalidOperationException($"The objective reported {report?.Length ?? 0} numbers; the search was told {reportLength}.");
                }

                report.CopyTo(mine, slot * reportLength);
            }

            var all = new double[group.IsRoot ? mine.Length * group.Size : 0];
            group.GatherOnRankZero(mine, all);
            var reports = new double[count][];
            for (int i = 0; i < count; i++)
            {
                reports[i] = group.IsRoot
                    ? all.AsSpan((((i % group.Size) * share) + (i / group.Size)) * reportLength, reportLength).ToArray()
                    : [];
            }

            return reports;
        }
    }
}
