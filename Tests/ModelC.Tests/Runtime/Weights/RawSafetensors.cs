using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace ModelC.Tests.Runtime.Weights;

/// <summary>Writes safetensors-like files byte by byte, so tests can break every rule of the format.</summary>
internal static class RawSafetensors
{
    /// <summary>An 8-byte length (the header's own unless <paramref name="declaredLength"/> is given), the header text, then <paramref name="dataLength"/> bytes.</summary>
    public static void Write(string path, string header, int dataLength, ulong? declaredLength = null) =>
        Write(path, Encoding.UTF8.GetBytes(header), dataLength, declaredLength);

    public static void Write(string path, byte[] header, int dataLength, ulong? declaredLength = null)
    {
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (int i = 0; i < dataLength; i++)
        {
            bytes[8 + header.Length + i] = (byte)(i * 37);
        }

        File.WriteAllBytes(path, bytes);
    }
}
