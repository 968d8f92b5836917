using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ModelC.Runtime.Weights;

/// <summary>
/// A safetensors file read into memory and validated by the format's rules: an 8-byte
/// little-endian header length N of at most 100 MB that fits in the file, N bytes of UTF-8
/// JSON (an object of tensors and an optional <c>__metadata__</c> object of strings), and a
/// data section that the tensors' <c>data_offsets</c> cover exactly, contiguously from 0,
/// each as long as its shape times its dtype's size. Every violation is an
/// <see cref="InvalidDataException"/> naming the file, the byte offset and the problem,
/// and nothing is allocated before the file's length shows it is there.
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>The format's limit on the header, guarding against absurd allocations.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const int LengthPrefixSize = 8;
    private const string MetadataKey = "__metadata__";

    private readonly Dictionary<string, SafetensorsTensor> byName;
    private readonly byte[] data;

    private SafetensorsFile(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string> metadata, byte[] data)
    {
        Path = path;
        Tensors = tensors;
        Metadata = metadata;
        this.data = data;
        byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>The tensors in the order their data lies in the file.</summary>
    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public bool TryGetTensor(string name, out SafetensorsTensor tensor) => byName.TryGetValue(name, out tensor!);

    /// <summary>The raw little-endian bytes of <paramref name="tensor"/>.</summary>
    public ReadOnlySpan<byte> Bytes(SafetensorsTensor tensor) =>
        data.AsSpan(checked((int)tensor.Begin), checked((int)tensor.ByteLength));

    /// <summary>Copies the F32 tensor <paramref name="name"/> into <paramref name="destination"/>, which must be exactly its size.</summary>
    /// <exception cref="InvalidDataException">No such tensor, or it is not F32, or its size differs; the message names the file.</exception>
    public void ReadFloats(string name, Span<float> destination)
    {
        if (!TryGetTensor(name, out SafetensorsTensor tensor))
        {
            throw new InvalidDataException($"{Path}: no tensor named '{name}'.");
        }

        if (tensor.Dtype != SafetensorsDtype.F32)
        {
            throw new InvalidDataException($"{Path}: tensor {tensor} is {tensor.Dtype}, expected F32.");
        }

        if (tensor.ByteLength != (long)destination.Length * sizeof(float))
        {
            throw new InvalidDataException(
                $"{Path}: tensor {tensor} has {tensor.ByteLength / sizeof(float)} elements, expected {destination.Length}.");
        }

        ReadOnlySpan<byte> bytes = Bytes(tensor);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
        }
        else
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
            }
        }
    }

    /// <summary>The F32 tensor <paramref name="name"/> as a new array.</summary>
    public float[] ReadFloats(string name)
    {
        if (!TryGetTensor(name, out SafetensorsTensor tensor))
        {
            throw new InvalidDataException($"{Path}: no tensor named '{name}'.");
        }

        var values = new float[tensor.ByteLength / sizeof(float)];
        ReadFloats(name, values);
        return values;
    }

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file breaks a rule of the format; the message names the file, byte offset and rule.</exception>
    public static SafetensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = stream.Length;
        if (fileLength < LengthPrefixSize)
        {
            throw Invalid(path, 0, $"the file is {fileLength} bytes, too short for the 8-byte header length");
        }

        Span<byte> prefix = stackalloc byte[LengthPrefixSize];
        stream.ReadExactly(prefix);
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (declared > MaxHeaderLength)
        {
            throw Invalid(path, 0, $"the header length {declared} exceeds the format's limit of {MaxHeaderLength} bytes");
        }

        long headerLength = (long)declared;
        if (headerLength > fileLength - LengthPrefixSize)
        {
            throw Invalid(path, 0, $"the header length {headerLength} runs past the end of the file ({fileLength} bytes)");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = LengthPrefixSize + headerLength;
        long dataLength = fileLength - dataStart;
        (List<SafetensorsTensor> tensors, Dictionary<string, string> metadata) = new HeaderParser(path, header).Parse();
        CheckLayout(path, tensors, dataStart, dataLength);

        if (dataLength > Array.MaxLength)
        {
            throw Invalid(path, dataStart, $"the data section is {dataLength} bytes, more than one array can hold; this reader loads files below 2 GB");
        }

        var data = new byte[dataLength];
        stream.ReadExactly(data);
        return new SafetensorsFile(path, tensors, metadata, data);
    }

    /// <summary>Sorted by offset, the tensors must tile the data section exactly, each sized by its shape.</summary>
    private static void CheckLayout(string path, List<SafetensorsTensor> tensors, long dataStart, long dataLength)
    {
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expectedBegin = 0;
        foreach (SafetensorsTensor tensor in tensors)
        {
            long at = dataStart + tensor.Begin;
            if (tensor.Begin < expectedBegin)
            {
                throw Invalid(path, at, $"tensor '{tensor.Name}' begins at data offset {tensor.Begin}, overlapping the tensor before it, which ends at {expectedBegin}");
            }

            if (tensor.Begin > expectedBegin)
            {
                throw Invalid(path, dataStart + expectedBegin, $"a gap in the data: bytes [{expectedBegin}, {tensor.Begin}) of the data section belong to no tensor (next is '{tensor.Name}')");
            }

            if (tensor.End < tensor.Begin)
            {
                throw Invalid(path, at, $"tensor '{tensor.Name}' has data_offsets [{tensor.Begin}, {tensor.End}] that end before they begin");
            }

            if (tensor.End > dataLength)
            {
                throw Invalid(path, at, $"tensor '{tensor.Name}' has data_offsets [{tensor.Begin}, {tensor.End}] past the end of the {dataLength}-byte data section");
            }

            SafetensorsDtype.TryGetElementSize(tensor.Dtype, out int elementSize);
            long expectedBytes;
            try
            {
                expectedBytes = tensor.Shape.Aggregate((long)elementSize, (product, d) => checked(product * d));
            }
            catch (OverflowException)
            {
                throw Invalid(path, at, $"tensor {tensor}: the size of the shape overflows a 64-bit byte count");
            }

            if (expectedBytes != tensor.ByteLength)
            {
                throw Invalid(path, at, $"tensor {tensor} needs {expectedBytes} bytes but its data_offsets [{tensor.Begin}, {tensor.End}] hold {tensor.ByteLength}");
            }

            expectedBegin = tensor.End;
        }

        if (expectedBegin != dataLength)
        {
            throw Invalid(path, dataStart + expectedBegin, $"the data section is {dataLength} bytes but the tensors cover only {expectedBegin}; the rest belongs to no tensor");
        }
    }

    private static InvalidDataException Invalid(string path, long byteOffset, string problem) =>
        new($"{path}: invalid safetensors file at byte {byteOffset.ToString(CultureInfo.InvariantCulture)}: {problem}.");

    /// <summary>Reads the JSON header into tensor descriptions (unvalidated layout) and metadata.</summary>
    private sealed class HeaderParser(string path, byte[] header)
    {
        private const long HeaderStart = LengthPrefixSize;

        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public (List<SafetensorsTensor> Tensors, Dictionary<string, string> Metadata) Parse()
        {
            try
            {
                StrictUtf8.GetCharCount(header);
            }
            catch (DecoderFallbackException e)
            {
                throw Invalid(path, HeaderStart + Math.Max(e.Index, 0), "the header is not valid UTF-8 JSON (an invalid UTF-8 byte sequence)");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            }
            catch (JsonException e)
            {
                throw Invalid(path, HeaderStart, $"the header is not valid UTF-8 JSON ({e.Message})");
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw Fail($"the header is a JSON {document.RootElement.ValueKind}, not an object");
                }

                var tensors = new List<SafetensorsTensor>();
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                    {
                        throw Fail($"the name '{property.Name}' appears twice");
                    }

                    if (property.Name == MetadataKey)
                    {
                        ReadMetadata(property.Value, metadata);
                    }
                    else
                    {
                        tensors.Add(ReadTensor(property.Name, property.Value));
                    }
                }

                return (tensors, metadata);
            }
        }

        private void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Fail($"{MetadataKey} is a JSON {value.ValueKind}, not an object of strings");
            }

            foreach (JsonProperty entry in value.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    throw Fail($"{MetadataKey} entry '{entry.Name}' is a JSON {entry.Value.ValueKind}, not a string");
                }

                if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                {
                    throw Fail($"{MetadataKey} has the key '{entry.Name}' twice");
                }
            }
        }

        private SafetensorsTensor ReadTensor(string name, JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw Fail($"tensor '{name}' is a JSON {value.ValueKind}, not an object with dtype, shape and data_offsets");
            }

            string dtype = Property(name, value, "dtype", JsonValueKind.String).GetString()!;
            if (!SafetensorsDtype.TryGetElementSize(dtype, out _))
            {
                throw Fail($"tensor '{name}' has unknown dtype '{dtype}' (known: {string.Join(", ", SafetensorsDtype.Names)})");
            }

            long[] shape = Integers(name, Property(name, value, "shape", JsonValueKind.Array), "shape");
            long[] offsets = Integers(name, Property(name, value, "data_offsets", JsonValueKind.Array), "data_offsets");
            if (offsets.Length != 2)
            {
                throw Fail($"tensor '{name}' has {offsets.Length} data_offsets, not 2 (begin, end)");
            }

            return new SafetensorsTensor(name, dtype, shape, offsets[0], offsets[1]);
        }

        private JsonElement Property(string tensor, JsonElement value, string key, JsonValueKind kind)
        {
            if (!value.TryGetProperty(key, out JsonElement property))
            {
                throw Fail($"tensor '{tensor}' has no '{key}'");
            }

            if (property.ValueKind != kind)
            {
                throw Fail($"tensor '{tensor}': '{key}' is a JSON {property.ValueKind}, not a {kind}");
            }

            return property;
        }

        private long[] Integers(string tensor, JsonElement array, string key)
        {
            var values = new long[array.GetArrayLength()];
            int i = 0;
            foreach (JsonElement item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                {
                    throw Fail($"tensor '{tensor}': {key}[{i}] is {item.GetRawText()}, not a whole number in [0, {long.MaxValue}]");
                }

                values[i++] = v;
            }

            return values;
        }

        private InvalidDataException Fail(string problem) =>
            Invalid(path, HeaderStart, $"in the {header.Length}-byte JSON header: {problem}");
    }
}
