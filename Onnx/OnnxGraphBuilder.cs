using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using P = Onnx;

namespace ModelC.Onnx;

/// <summary>
/// Writes one ONNX graph: unique value names, nodes with their attributes, initializers and
/// typed inputs and outputs. It knows nothing of ModelC; <see cref="OnnxExporter"/> decides what to write.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The name of the symbolic batch dimension on every input and output.</summary>
    public const string BatchDimension = "batch";

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public P.GraphProto Graph { get; } = new();

    /// <summary>Claims <paramref name="wanted"/> as a value name, or the first free "wanted_N".</summary>
    public string Name(string wanted)
    {
        if (_names.Add(wanted)) return wanted;
        while (true)
        {
            string candidate = $"{wanted}_{++_counter}";
            if (_names.Add(candidate)) return candidate;
        }
    }

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Node(string opType, string output, IEnumerable<string> inputs, params P.AttributeProto[] attributes)
    {
        string name = Name(output);
        var node = new P.NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return name;
    }

    public string Node(string opType, string output, params string[] inputs) => Node(opType, output, (IEnumerable<string>)inputs);

    public string FloatTensor(string wanted, IReadOnlyList<int> dims, ReadOnlySpan<float> values)
    {
        var tensor = new P.TensorProto { Name = Name(wanted), DataType = (int)P.TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Scalar(float value) => FloatTensor("const", Array.Empty<int>(), new[] { value });

    /// <summary>A constant int64 vector (a shape, axes, slice bounds), as many ops take them as inputs.</summary>
    public string Int64s(string wanted, params long[] values)
    {
        var tensor = new P.TensorProto { Name = Name(wanted), DataType = (int)P.TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public void Input(string name, P.TensorProto.Types.DataType type, IEnumerable<int> perExampleDims) =>
        Graph.Input.Add(ValueInfo(name, type, perExampleDims));

    public void Output(string name, IEnumerable<int> perExampleDims) =>
        Graph.Output.Add(ValueInfo(name, P.TensorProto.Types.DataType.Float, perExampleDims));

    private static P.ValueInfoProto ValueInfo(string name, P.TensorProto.Types.DataType type, IEnumerable<int> perExampleDims)
    {
        var shape = new P.TensorShapeProto();
        shape.Dim.Add(new P.TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.AddRange(perExampleDims.Select(d => new P.TensorShapeProto.Types.Dimension { DimValue = d }));
        return new P.ValueInfoProto
        {
            Name = name,
            Type = new P.TypeProto { TensorType = new P.TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    public static P.AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = P.AttributeProto.Types.AttributeType.Int, I = value };

    public static P.AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = P.AttributeProto.Types.AttributeType.Float, F = value };

    public static P.AttributeProto Attribute(string name, string value) =>
        new() { Name = name, Type = P.AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static P.AttributeProto Attribute(string name, params long[] values)
    {
        var attribute = new P.AttributeProto { Name = name, Type = P.AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
