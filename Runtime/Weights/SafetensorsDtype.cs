using System.Collections.Generic;

namespace ModelC.Runtime.Weights;

/// <summary>The element types the safetensors format defines, with their sizes in bytes.</summary>
public static class SafetensorsDtype
{
    public const string F32 = "F32";

    private static readonly Dictionary<string, int> Sizes = new()
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    /// <summary>Every dtype name the format knows.</summary>
    public static IEnumerable<string> Names => Sizes.Keys;

    /// <summary>The size of one element of <paramref name="dtype"/>; false for a name the format does not define.</summary>
    public static bool TryGetElementSize(string dtype, out int size) => Sizes.TryGetValue(dtype, out size);
}
