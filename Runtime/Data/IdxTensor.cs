using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace ModelC.Runtime.Data;

/// <summary>
/// The contents of an IDX file: its element type, its shape and its data bytes exactly as
/// stored (big-endian), converted to floats or integers on request so an unsigned-byte image
/// file costs one byte per pixel until then.
/// </summary>
public sealed class IdxTensor
{
    private readonly byte[] data;
    private readonly int[] shape;

    /// <param name="elementType">The type of every value.</param>
    /// <param name="shape">The dimensions, outermost first (for images: count, rows, columns).</param>
    /// <param name="data">The values, big-endian, row-major; exactly the shape's product times the element size.</param>
    public IdxTensor(IdxElementType elementType, int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        int size = ElementSize(elementType);
        long length = 1;
        foreach (int dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            length = checked(length * dimension);
        }

        if (length * size != data.Length)
        {
            throw new ArgumentException(
                $"Shape [{string.Join(", ", shape)}] of {elementType} needs {length * size} bytes; {data.Length} were given.", nameof(data));
        }

        ElementType = elementType;
        this.shape = shape.ToArray();
        this.data = data;
        Length = (int)length;
    }

    /// <summary>The type of every value.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The number of values: the product of <see cref="Shape"/>.</summary>
    public int Length { get; }

    /// <summary>The data section as stored in the file: big-endian values, row-major.</summary>
    public ReadOnlySpan<byte> RawBytes => data;

    /// <summary>The bytes one value of <paramref name="type"/> takes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not an IDX type code.</exception>
    public static int ElementSize(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Short => 2,
        IdxElementType.Int or IdxElementType.Float => 4,
        IdxElementType.Double => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an IDX element type."),
    };

    /// <summary>Every value as a float, multiplied by <paramref name="scale"/> (1/255 maps bytes to [0, 1]).</summary>
    public float[] ToFloats(float scale = 1f)
    {
        var result = new float[Length];
        switch (ElementType)
        {
            case IdxElementType.UnsignedByte:
                TensorPrimitives.ConvertTruncating<byte, float>(data, result);
                break;
            case IdxElementType.SignedByte:
                TensorPrimitives.ConvertTruncating<sbyte, float>(MemoryMarshal.Cast<byte, sbyte>(data), result);
                break;
            case IdxElementType.Short:
                TensorPrimitives.ConvertTruncating<short, float>(NativeOrder<short>(), result);
                break;
            case IdxElementType.Int:
                TensorPrimitives.ConvertTruncating<int, float>(NativeOrder<int>(), result);
                break;
            case IdxElementType.Float:
                NativeOrder<int>().AsSpan().CopyTo(MemoryMarshal.Cast<float, int>(result.AsSpan()));
                break;
            case IdxElementType.Double:
                TensorPrimitives.ConvertTruncating<double, float>(MemoryMarshal.Cast<long, double>(NativeOrder<long>().AsSpan()), result);
                break;
        }

        if (scale != 1f)
        {
            TensorPrimitives.Multiply(result, scale, result);
        }

        return result;
    }

    /// <summary>Every value as an integer (class ids, counts).</summary>
    /// <exception cref="InvalidOperationException">The file holds floats or doubles.</exception>
    public int[] ToInts()
    {
        switch (ElementType)
        {
            case IdxElementType.UnsignedByte:
                return data.Select(value => (int)value).ToArray();
            case IdxElementType.SignedByte:
                return data.Select(value => (int)(sbyte)value).ToArray();
            case IdxElementType.Short:
                return NativeOrder<short>().Select(value => (int)value).ToArray();
            case IdxElementType.Int:
                return NativeOrder<int>();
            default:
                throw new InvalidOperationException($"The IDX data holds {ElementType} values, not integers; use ToFloats.");
        }
    }

    /// <summary>For example <c>UnsignedByte[60000, 28, 28]</c>.</summary>
    public override string ToString() =>
        $"{ElementType}[{string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]";

    // The data reinterpreted as T, copied and with each value's bytes put in this machine's order.
    private T[] NativeOrder<T>()
        where T : unmanaged
    {
        T[] values = MemoryMarshal.Cast<byte, T>(data).ToArray();
        if (BitConverter.IsLittleEndian)
        {
            switch (values)
            {
                case short[] shorts:
                    BinaryPrimitives.ReverseEndianness(shorts, shorts);
                    break;
                case int[] ints:
                    BinaryPrimitives.ReverseEndianness(ints, ints);
                    break;
                case long[] longs:
                    BinaryPrimitives.ReverseEndianness(longs, longs);
                    break;
            }
        }

        return values;
    }
}
