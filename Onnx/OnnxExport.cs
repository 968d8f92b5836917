using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Runtime;
using ModelC.Runtime.Weights;

namespace ModelC.Onnx;

/// <summary>
/// Writes a model's inference graph as an ONNX file (opset <see cref="OnnxFormat.Opset"/>) for ONNX
/// Runtime, Netron or any other ONNX tool. The graph comes from the compiler's IR of the .model
/// source, which every generated class carries; the parameters and batchnorm buffers come from the
/// instance, so what is written is exactly what that instance computes in <c>Forward</c>.
/// </summary>
public static class OnnxExport
{
    /// <summary>
    /// Exports <paramref name="model"/>, an instance of a class ModelC generated: the graph is bound
    /// again from the .model text the class carries (<see cref="ModelSourceAttribute"/>), the values
    /// are the instance's.
    /// </summary>
    /// <exception cref="ArgumentException">The class carries no ModelC source, or its parameters differ from the source's.</exception>
    /// <exception cref="NotSupportedException">An output depends on an op that ONNX export does not cover.</exception>
    public static byte[] ToBytes(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var source = ModelSourceAttribute.Of(model)
            ?? throw new ArgumentException($"{model.GetType().FullName} carries no [ModelSource]: only classes that ModelC generated can be exported; pass the .model text to ToBytes(model, modelSource)", nameof(model));
        return ToBytes(model, source.Text, source.FileName);
    }

    /// <summary>Writes <see cref="ToBytes(IModel)"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(IModel model, string path)
    {
        byte[] bytes = ToBytes(model);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// Exports <paramref name="model"/> with the graph of the model of the same name in
    /// <paramref name="modelSource"/> (a .model file's text), for a class built from another copy of it.
    /// </summary>
    /// <exception cref="ArgumentException">The source has errors, lacks the model, or its parameters differ from the instance's.</exception>
    /// <exception cref="NotSupportedException">An output depends on an op that ONNX export does not cover.</exception>
    public static byte[] ToBytes(IModel model, string modelSource, string sourcePath = "model.model")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(modelSource);
        var graph = Bind(modelSource, sourcePath, model.Name);
        return OnnxExporter.Export(graph, TensorsOf(model, graph)).ToByteArray();
    }

    /// <summary>Exports an already bound graph with the given tensors (parameters and buffers by name).</summary>
    public static byte[] ToBytes(ModelGraph graph, IReadOnlyDictionary<string, float[]> tensors) =>
        OnnxExporter.Export(graph, tensors).ToByteArray();

    /// <summary>Binds the model named <paramref name="modelName"/> of a .model text; errors become one ArgumentException.</summary>
    public static ModelGraph Bind(string modelSource, string sourcePath, string modelName)
    {
        var diagnostics = new DiagnosticBag(sourcePath);
        var models = ModelCompiler.Analyze(sourcePath, modelSource, null, diagnostics);
        var errors = diagnostics.Items.Where(d => d.IsError).ToList();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(modelSource));
        return models.FirstOrDefault(m => m.Graph.Name == modelName)?.Graph
            ?? throw new ArgumentException($"{sourcePath} has no model named '{modelName}'; it declares {string.Join(", ", models.Select(m => m.Graph.Name))}", nameof(modelSource));
    }

    /// <summary>The instance's parameters and buffers by name, checked against the graph's.</summary>
    private static Dictionary<string, float[]> TensorsOf(IModel model, ModelGraph graph)
    {
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        Collect(model.ParameterInfos, model.Parameters, tensors);
        Collect(model.BufferInfos, model.Buffers, tensors);
        var expected = graph.Parameters.Cast<Node>().Concat(graph.Buffers);
        var problems = new List<string>();
        foreach (var node in expected)
        {
            if (!tensors.TryGetValue(node.Name!, out var values)) problems.Add($"'{node.Name}' is missing");
            else if (values.Length != node.Shape.Size) problems.Add($"'{node.Name}' has {values.Length} values, the source's shape {node.Shape} holds {node.Shape.Size}");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"the instance of {model.Name} does not match its source: {string.Join("; ", problems)}", nameof(model));
        return tensors;
    }

    private static void Collect(IReadOnlyList<ParameterInfo> infos, Span<float> flat, Dictionary<string, float[]> into)
    {
        foreach (var info in infos)
            into[info.Name] = flat.Slice(info.Offset, info.Length).ToArray();
    }
}
