using System;
using System.Globalization;
using System.Linq;

namespace ModelC.Runtime;

/// <summary>
/// A model input, target or output. <paramref name="Shape"/> is the per-example shape
/// (the batch dimension is implicit), <paramref name="Size"/> the per-example element
/// count (1 for a scalar <c>int&lt;N&gt;</c>), <paramref name="Classes"/> the N of
/// <c>int&lt;N&gt;</c> (0 for float tensors).
/// </summary>
public sealed record TensorInfo(string Name, TensorKind Kind, int[] Shape, int Size, int Classes)
{
    /// <summary>Two infos are equal when every field, and every shape element, is.</summary>
    public bool Equals(TensorInfo? other) =>
        other is not null
        && Name == other.Name
        && Kind == other.Kind
        && Size == other.Size
        && Classes == other.Classes
        && Shape.AsSpan().SequenceEqual(other.Shape);

    public override int GetHashCode() => HashCode.Combine(Name, Kind, Size, Classes);

    /// <summary>The type as written in a <c>.model</c> file, e.g. <c>x : float[784]</c> or <c>y : int&lt;10&gt;</c>.</summary>
    public override string ToString()
    {
        string dimensions = string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string type = Kind == TensorKind.Float
            ? $"float[{dimensions}]"
            : Shape.Length == 0 ? $"int<{Classes}>" : $"int<{Classes}>[{dimensions}]";
        return $"{Name} : {type}";
    }
}
