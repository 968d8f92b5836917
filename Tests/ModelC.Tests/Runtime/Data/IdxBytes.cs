using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Tests.Runtime.Data;

/// <summary>Builds IDX files byte by byte, well-formed or deliberately not.</summary>
internal static class IdxBytes
{
    public static byte[] Header(byte type, params uint[] shape)
    {
        var header = new List<byte> { 0, 0, type, (byte)shape.Length };
        foreach (uint dimension in shape)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, dimension);
            header.AddRange(bytes);
        }

        return header.ToArray();
    }

    public static byte[] File(byte type, uint[] shape, byte[] data) => Header(type, shape).Concat(data).ToArray();

    public static byte[] UnsignedBytes(uint[] shape, params byte[] data) => File(0x08, shape, data);

    public static byte[] BigEndian(short[] values) =>
        values.SelectMany(v => { var b = new byte[2]; BinaryPrimitives.WriteInt16BigEndian(b, v); return b; }).ToArray();

    public static byte[] BigEndian(int[] values) =>
        values.SelectMany(v => { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); return b; }).ToArray();

    public static byte[] BigEndian(float[] values) =>
        values.SelectMany(v => { var b = new byte[4]; BinaryPrimitives.WriteSingleBigEndian(b, v); return b; }).ToArray();

    public static byte[] BigEndian(double[] values) =>
        values.SelectMany(v => { var b = new byte[8]; BinaryPrimitives.WriteDoubleBigEndian(b, v); return b; }).ToArray();
}
