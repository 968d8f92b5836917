using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ModelC.Runtime.Weights;

/// <summary>
/// Collects F32 tensors and metadata, then writes them as one safetensors file, atomically
/// (see <see cref="AtomicFile"/>). Tensors are laid out in the order they were added; the
/// header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
/// </summary>
public sealed class SafetensorsWriter
{
    private readonly List<(string Name, int[] Shape, byte[] Data)> tensors = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    /// <summary>The <c>__metadata__</c> entries to write.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a copy of <paramref name="values"/> as the F32 tensor <paramref name="name"/> of <paramref name="shape"/>.</summary>
    public SafetensorsWriter Add(string name, int[] shape, ReadOnlySpan<float> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (name == "__metadata__")
        {
            throw new ArgumentException("'__metadata__' is reserved for the metadata and cannot name a tensor.", nameof(name));
        }

        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor '{name}' has a negative dimension in its shape.", nameof(shape));
            }

            count = checked(count * d);
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"Tensor '{name}': its shape holds {count} elements but {values.Length} values were given.", nameof(values));
        }

        if (!names.Add(name))
        {
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        }

        var data = new byte[values.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(data);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * sizeof(float)), values[i]);
            }
        }

        tensors.Add((name, (int[])shape.Clone(), data));
        return this;
    }

    /// <summary>Writes the file: to a temporary file first, flushed to disk, then renamed over <paramref name="path"/>.</summary>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>Writes the file's bytes to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = Header();
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach ((_, _, byte[] data) in tensors)
        {
            stream.Write(data);
        }
    }

    private byte[] Header()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach ((string key, string value) in Metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach ((string name, int[] shape, byte[] data) in tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDtype.F32);
                json.WriteStartArray("shape");
                foreach (int d in shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += data.Length;
            }

            json.WriteEndObject();
        }

        while (buffer.Length % 8 != 0)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }
}
