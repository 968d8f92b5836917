using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelC.Runtime.Classical;

namespace ModelC.Distributed.TestHost;

/// <summary>The distributed search test's problem: a cheap bowl over a log-scaled rate and an integer, the same on every rank.</summary>
public static class SearchProblem
{
    public const int Budget = 10, InitialPoints = 4, BatchSize = 2, Seed = 4;

    public static SearchSpace Space { get; } = new(
        SearchDimension.Continuous("learning_rate", 1e-4, 1.0, log: true),
        SearchDimension.Integer("width", 1, 6));

    public static double Objective(IReadOnlyDictionary<string, double> p) =>
        Math.Pow(Math.Log10(p["learning_rate"]) + 2, 2) + (0.1 * Math.Pow(p["width"] - 3, 2));

    /// <summary>One line per evaluation, every number round-trippable, for comparing two searches exactly.</summary>
    public static string[] Describe(SearchResult result) => result.History
        .Select(e => string.Join(' ', e.Index, e.Source, Number(e.Parameters["learning_rate"]), Number(e.Parameters["width"]), Number(e.Value)))
        .ToArray();

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

internal static class Search
{
    /// <summary>Searches across the group; every rank logs what it scored, rank 0 writes the history.</summary>
    public static int Run(Options options, MpiGroup? group)
    {
        string output = options.Positional[0];
        int rank = group?.Rank ?? 0;
        double Objective(IReadOnlyDictionary<string, double> configuration)
        {
            File.AppendAllLines($"{output}.scored.rank{rank}", [configuration["learning_rate"].ToString("R", CultureInfo.InvariantCulture)]);
            return SearchProblem.Objective(configuration);
        }

        SearchResult? result = DistributedSearch.Minimize(
            group!, SearchProblem.Space, Objective, SearchProblem.Budget, SearchProblem.BatchSize, SearchProblem.Seed, SearchProblem.InitialPoints);
        if (result is not null)
        {
            File.WriteAllLines(output, SearchProblem.Describe(result));
        }

        return 0;
    }
}
