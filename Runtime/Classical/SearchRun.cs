using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelC.Runtime.Classical;

/// <summary>Calls the user's objective and records each evaluation; shared by the Bayesian and random searches.</summary>
internal sealed class SearchRun
{
    private readonly SearchSpace _space;
    private readonly Func<IReadOnlyDictionary<string, double>, double> _objective;
    private readonly List<SearchEvaluation> _history = new();
    private readonly List<double[]> _positions = new();

    public SearchRun(SearchSpace? space, Func<IReadOnlyDictionary<string, double>, double>? objective, int budget)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _objective = objective ?? throw new ArgumentNullException(nameof(objective));
        DataChecks.AtLeast(budget, 1, nameof(budget));
    }

    /// <summary>Unit-cube positions evaluated so far, in order.</summary>
    public IReadOnlyList<double[]> Positions => _positions;

    public IReadOnlyList<SearchEvaluation> History => _history;

    public void Evaluate(double[] unitPosition, EvaluationSource source)
    {
        var parameters = _space.Decode(unitPosition);
        double value = _objective(parameters);
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            string shown = string.Join(", ", parameters.Select(p => $"{p.Key} = {p.Value.ToString("G6", CultureInfo.InvariantCulture)}"));
            throw new InvalidOperationException($"The objective returned {value} for {shown}; it must return a finite number to minimize.");
        }
        _positions.Add(unitPosition);
        _history.Add(new SearchEvaluation(_history.Count, parameters, value, source));
    }

    public SearchResult Result() => new(_history.ToArray());
}
