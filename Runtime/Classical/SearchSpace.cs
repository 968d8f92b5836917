using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Runtime.Classical;

/// <summary>A box of named hyper-parameters for <see cref="BayesianOptimizer"/> and <see cref="RandomSearch"/>.</summary>
public sealed class SearchSpace
{
    private readonly SearchDimension[] _dimensions;

    public SearchSpace(params SearchDimension[] dimensions)
    {
        if (dimensions is null)
            throw new ArgumentNullException(nameof(dimensions));
        if (dimensions.Length == 0)
            throw new ArgumentException("A search space needs at least one dimension.", nameof(dimensions));
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (dimensions[i] is null)
                throw new ArgumentException($"Dimension {i} is null.", nameof(dimensions));
        }
        var duplicate = dimensions.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The name '{duplicate.Key}' is used by more than one dimension.", nameof(dimensions));
        _dimensions = (SearchDimension[])dimensions.Clone();
        Dimensions = Array.AsReadOnly(_dimensions);
    }

    public IReadOnlyList<SearchDimension> Dimensions { get; }

    /// <summary>A uniformly random position in the unit cube, snapped to representable values.</summary>
    internal double[] SampleUnit(Random random)
    {
        var u = new double[_dimensions.Length];
        for (int j = 0; j < u.Length; j++)
            u[j] = _dimensions[j].Snap(random.NextDouble());
        return u;
    }

    internal double[] Snap(double[] unit)
    {
        var snapped = new double[unit.Length];
        for (int j = 0; j < unit.Length; j++)
            snapped[j] = _dimensions[j].Snap(unit[j]);
        return snapped;
    }

    /// <summary>The named parameter values at a unit-cube position.</summary>
    internal IReadOnlyDictionary<string, double> Decode(double[] unit)
    {
        var values = new Dictionary<string, double>(_dimensions.Length);
        for (int j = 0; j < unit.Length; j++)
            values[_dimensions[j].Name] = _dimensions[j].FromUnit(unit[j]);
        return values;
    }
}
