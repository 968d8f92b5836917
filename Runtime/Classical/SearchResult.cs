using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Runtime.Classical;

/// <summary>How a search chose the configuration it evaluated.</summary>
public enum EvaluationSource
{
    /// <summary>Drawn uniformly from the search space.</summary>
    Random,

    /// <summary>The candidate with the highest expected improvement under the Gaussian-process model.</summary>
    ExpectedImprovement,
}

/// <summary>One call of the objective: the configuration, the value it returned (lower is better) and why it was chosen.</summary>
public sealed record SearchEvaluation(int Index, IReadOnlyDictionary<string, double> Parameters, double Value, EvaluationSource Source);

/// <summary>Every evaluation of a search in order, and the best (lowest value, earliest on ties).</summary>
public sealed class SearchResult
{
    internal SearchResult(IReadOnlyList<SearchEvaluation> history)
    {
        History = history;
        Best = history.Aggregate((best, next) => next.Value < best.Value ? next : best);
    }

    public IReadOnlyList<SearchEvaluation> History { get; }

    public SearchEvaluation Best { get; }

    /// <summary>Lowest value seen after each evaluation, for plotting convergence.</summary>
    public IReadOnlyList<double> BestSoFar()
    {
        var result = new double[History.Count];
        double best = double.PositiveInfinity;
        for (int i = 0; i < result.Length; i++)
            result[i] = best = Math.Min(best, History[i].Value);
        return result;
    }
}
