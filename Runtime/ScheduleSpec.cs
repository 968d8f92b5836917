using System;
using System.Collections.Generic;

namespace ModelC.Runtime;

/// <summary>
/// A learning-rate schedule as written in a <c>train { }</c> block, e.g.
/// <c>cosine(warmup: 1)</c> is <c>new ScheduleSpec("cosine", { ["warmup"] = 1 })</c>.
/// Positional arguments are stored under the parameter names the language gives them.
/// </summary>
public sealed record ScheduleSpec(string Name, IReadOnlyDictionary<string, double> Arguments)
{
    /// <summary>Two specs are equal when their names and argument sets are.</summary>
    public bool Equals(ScheduleSpec? other) =>
        other is not null && Name == other.Name && SameArguments(Arguments, other.Arguments);

    internal static bool SameArguments(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach ((string key, double value) in a)
        {
            if (!b.TryGetValue(key, out double otherValue) || !value.Equals(otherValue))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode() => HashCode.Combine(Name, Arguments.Count);
}
