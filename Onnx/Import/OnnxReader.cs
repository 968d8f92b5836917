using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using P = Onnx;

namespace ModelC.Onnx.Import;

/// <summary>
/// Reads an ONNX file into the protobuf classes and decodes its tensors, turning every broken rule
/// into an <see cref="InvalidDataException"/> that names the file and the problem. The whole file
/// is read first (its length bounds every later allocation): protobuf refuses a length that runs
/// past the buffer before allocating it, and tensors are decoded only after their element count
/// has been checked against the bytes that hold them.
/// </summary>
internal static class OnnxReader
{
    /// <summary>Largest tensor accepted: an array of floats.</summary>
    private const long MaxElements = int.MaxValue / sizeof(float);

    /// <summary>The longest byte array .NET allocates (Array.MaxLength, which netstandard2.0 lacks).</summary>
    private const long MaxFileLength = 0x7FFFFFC7;

    public static P.ModelProto Read(string path)
    {
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: cannot read the file: {exception.Message}", exception);
        }
        if (length > MaxFileLength)
            throw Invalid(path, $"the file is {length} bytes; ONNX files above 2 GB keep their weights in external files, which this reader does not load");
        return Parse(path, File.ReadAllBytes(path));
    }

    public static P.ModelProto Parse(string path, byte[] bytes)
    {
        if (bytes.Length == 0) throw Invalid(path, "the file is empty");
        P.ModelProto model;
        try
        {
            model = P.ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw Invalid(path, $"not a valid ONNX (protobuf) file: {exception.Message}");
        }
        if (model.Graph is null)
            throw Invalid(path, "the model has no graph (is this an ONNX file?)");
        if (model.OpsetImport.Count == 0)
            throw Invalid(path, "the model names no opset");
        return model;
    }

    public static InvalidDataException Invalid(string path, string problem) => new($"{path}: invalid ONNX file: {problem}.");

    /// <summary>The tensor's dimensions, each checked non-negative, with their product bounded.</summary>
    public static int[] Dims(string path, P.TensorProto tensor)
    {
        long count = 1;
        var dims = new int[tensor.Dims.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            long d = tensor.Dims[i];
            if (d < 0) throw Invalid(path, $"tensor '{tensor.Name}' has the negative dimension {d}");
            count = d == 0 ? 0 : count > MaxElements / d ? MaxElements + 1 : count * d;
            if (count > MaxElements) throw Invalid(path, $"tensor '{tensor.Name}' [{string.Join(", ", tensor.Dims)}] has more than {MaxElements} elements");
            dims[i] = (int)d;
        }
        return dims;
    }

    private static int Count(int[] dims) => dims.Aggregate(1, (a, d) => a * d);

    private static void NotExternal(string path, P.TensorProto tensor)
    {
        if (tensor.DataLocation == P.TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            throw Invalid(path, $"tensor '{tensor.Name}' keeps its data in an external file, which this reader does not load");
    }

    public static float[] Floats(string path, P.TensorProto tensor)
    {
        NotExternal(path, tensor);
        if (tensor.DataType != (int)P.TensorProto.Types.DataType.Float)
            throw Invalid(path, $"tensor '{tensor.Name}' holds {DataTypeName(tensor.DataType)}, where float32 is needed");
        int count = Count(Dims(path, tensor));
        if (tensor.RawData.Length > 0)
        {
            if (tensor.RawData.Length != (long)count * sizeof(float))
                throw Invalid(path, $"tensor '{tensor.Name}' [{string.Join(", ", tensor.Dims)}] needs {(long)count * sizeof(float)} bytes of float32 but holds {tensor.RawData.Length}");
            var values = new float[count];
            var raw = tensor.RawData.Span;
            // ReadSingleLittleEndian is newer than netstandard2.0: read the bits, then reinterpret them.
            for (int i = 0; i < count; i++) values[i] = Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(i * sizeof(float))));
            return values;
        }
        if (tensor.FloatData.Count != count)
            throw Invalid(path, $"tensor '{tensor.Name}' [{string.Join(", ", tensor.Dims)}] needs {count} values but holds {tensor.FloatData.Count}");
        return tensor.FloatData.ToArray();
    }

    public static long[] Int64s(string path, P.TensorProto tensor)
    {
        NotExternal(path, tensor);
        if (tensor.DataType != (int)P.TensorProto.Types.DataType.Int64)
            throw Invalid(path, $"tensor '{tensor.Name}' holds {DataTypeName(tensor.DataType)}, where int64 is needed");
        int count = Count(Dims(path, tensor));
        if (tensor.RawData.Length > 0)
        {
            if (tensor.RawData.Length != (long)count * sizeof(long))
                throw Invalid(path, $"tensor '{tensor.Name}' [{string.Join(", ", tensor.Dims)}] needs {(long)count * sizeof(long)} bytes of int64 but holds {tensor.RawData.Length}");
            var values = new long[count];
            var raw = tensor.RawData.Span;
            for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(i * sizeof(long)));
            return values;
        }
        if (tensor.Int64Data.Count != count)
            throw Invalid(path, $"tensor '{tensor.Name}' [{string.Join(", ", tensor.Dims)}] needs {count} values but holds {tensor.Int64Data.Count}");
        return tensor.Int64Data.ToArray();
    }

    private static unsafe float Int32BitsToSingle(int bits) => *(float*)&bits;

    public static string DataTypeName(int type) =>
        Enum.IsDefined(typeof(P.TensorProto.Types.DataType), type) ? ((P.TensorProto.Types.DataType)type).ToString().ToLowerInvariant() : $"data type {type}";

    public static IReadOnlyList<string> DimensionsOf(P.ValueInfoProto value) =>
        value.Type?.TensorType?.Shape?.Dim.Select(d => d.ValueCase == P.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString() : d.DimParam is { Length: > 0 } p ? p : "?").ToList()
        ?? (IReadOnlyList<string>)Array.Empty<string>();
}
