using System.Globalization;
using System.Linq;

namespace ModelC.Runtime.Weights;

/// <summary>
/// One tensor of a safetensors file as its header describes it: the bytes
/// [<paramref name="Begin"/>, <paramref name="End"/>) of the data section (which starts
/// after the header) hold it, row-major, little-endian.
/// </summary>
public sealed record SafetensorsTensor(string Name, string Dtype, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;

    /// <summary>For example <c>fc1.weight F32 [128, 784]</c>.</summary>
    public override string ToString() =>
        $"{Name} {Dtype} [{string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]";
}
