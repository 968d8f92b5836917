using System;
using System.Globalization;
using System.Linq;

namespace ModelC.Runtime;

/// <summary>
/// One named parameter of a model: its row-major <paramref name="Shape"/> and the
/// slice [<paramref name="Offset"/>, <paramref name="Offset"/> + <paramref name="Length"/>)
/// it occupies in the flat parameter (and gradient) vector.
/// </summary>
public sealed record ParameterInfo(string Name, int[] Shape, int Offset, int Length)
{
    /// <summary>Two infos are equal when their names, offsets, lengths and shape elements are.</summary>
    public bool Equals(ParameterInfo? other) =>
        other is not null
        && Name == other.Name
        && Offset == other.Offset
        && Length == other.Length
        && Shape.AsSpan().SequenceEqual(other.Shape);

    public override int GetHashCode() => HashCode.Combine(Name, Offset, Length, Shape.Length);

    /// <summary>For example <c>fc1.weight [128, 784]</c>.</summary>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]";
}
