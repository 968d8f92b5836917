using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelC.Runtime.Classical;

/// <summary>Calls the user's objective and records each evaluation; shared by the Bayesian and random searches.</summary>
internal sealed class SearchRun
{
    private readonly SearchSpace _space;
    private readonly Func<IReadOnlyList<IReadOnlyDictionary<string, double>>, IReadOnlyList<double>> _objective;
    private readonly List<SearchEvaluation> _history = new();
    private readonly List<double[]> _positions = new();

    public SearchRun(SearchSpace? space, Func<IReadOnlyDictionary<string, double>, double>? objective, int budget)
        : this(space, objective is null ? null : batch => batch.Select(objective).ToArray(), budget)
    {
    }

    /// <summary>A run whose objective scores a whole batch of configurations at once (in parallel, say).</summary>
    public SearchRun(SearchSpace? space, Func<IReadOnlyList<IReadOnlyDictionary<string, double>>, IReadOnlyList<double>>? objective, int budget)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _objective = objective ?? throw new ArgumentNullException(nameof(objective));
        DataChecks.AtLeast(budget, 1, nameof(budget));
    }

    /// <summary>Unit-cube positions evaluated so far, in order.</summary>
    public IReadOnlyList<double[]> Positions => _positions;

    public IReadOnlyList<SearchEvaluation> History => _history;

    public void Evaluate(double[] unitPosition, EvaluationSource source) => Evaluate(new[] { unitPosition }, source);

    /// <summary>Scores the configurations in one call of the objective and records them in order.</summary>
    public void Evaluate(IReadOnlyList<double[]> unitPositions, EvaluationSource source)
    {
        var parameters = unitPositions.Select(_space.Decode).ToArray();
        IReadOnlyList<double> values = _objective(parameters);
        if (values is null || values.Count != parameters.Length)
            throw new InvalidOperationException($"The objective was given {parameters.Length} configuration(s) and returned {values?.Count ?? 0} value(s); it must return one per configuration.");
        for (int i = 0; i < parameters.Length; i++)
        {
            double value = values[i];
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                string shown = string.Join(", ", parameters[i].Select(p => $"{p.Key} = {p.Value.ToString("G6", CultureInfo.InvariantCulture)}"));
                throw new InvalidOperationException($"The objective returned {value} for {shown}; it must return a finite number to minimize.");
            }
            _positions.Add(unitPositions[i]);
            _history.Add(new SearchEvaluation(_history.Count, parameters[i], value, source));
        }
    }

    public SearchResult Result() => new(_history.ToArray());
}
