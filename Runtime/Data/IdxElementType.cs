namespace ModelC.Runtime.Data;

/// <summary>The element type code of an IDX file, its third byte; multi-byte values are big-endian.</summary>
public enum IdxElementType : byte
{
    /// <summary>0x08: unsigned byte (MNIST and Fashion-MNIST pixels and labels).</summary>
    UnsignedByte = 0x08,

    /// <summary>0x09: signed byte.</summary>
    SignedByte = 0x09,

    /// <summary>0x0B: 16-bit signed integer.</summary>
    Short = 0x0B,

    /// <summary>0x0C: 32-bit signed integer.</summary>
    Int = 0x0C,

    /// <summary>0x0D: 32-bit float.</summary>
    Float = 0x0D,

    /// <summary>0x0E: 64-bit float.</summary>
    Double = 0x0E,
}
