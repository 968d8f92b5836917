using System;
using System.Collections.Generic;

namespace ModelC.Runtime;

/// <summary>
/// An optimizer as written in a <c>train { }</c> block, e.g. <c>adam(lr: 1e-3)</c> is
/// <c>new OptimizerSpec("adam", { ["lr"] = 0.001 })</c>. Arguments are stored under their PyTorch
/// names; <see cref="Optimizers.OptimizerFactory"/> fills in the defaults and builds the optimizer.
/// </summary>
public sealed record OptimizerSpec(string Name, IReadOnlyDictionary<string, double> Arguments)
{
    /// <summary>Two specs are equal when their names and argument sets are.</summary>
    public bool Equals(OptimizerSpec? other) =>
        other is not null && Name == other.Name && ScheduleSpec.SameArguments(Arguments, other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Name, Arguments.Count);
}
