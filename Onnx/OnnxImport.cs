using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelC.Onnx.Import;
using ModelC.Runtime.Weights;

namespace ModelC.Onnx;

/// <summary>An ONNX graph translated into ModelC: the .model text and the weights it starts from.</summary>
public sealed record ImportedModel(string Name, string ModelText, IReadOnlyList<ImportedTensor> Tensors)
{
    internal static ImportedModel From(OnnxTranslation translation) => new(translation.Name, translation.ModelText, translation.Tensors);

    /// <summary>Writes NAME.model and NAME.safetensors into <paramref name="folder"/> (created if needed); returns both paths.</summary>
    public (string Model, string Weights) Save(string folder)
    {
        Directory.CreateDirectory(folder);
        string model = Path.Combine(folder, Name + ".model"), weights = Path.Combine(folder, Name + ".safetensors");
        var writer = new SafetensorsWriter();
        foreach (var tensor in Tensors) writer.Add(tensor.Name, tensor.Shape, tensor.Values);
        writer.Metadata["modelc.imported_from"] = "onnx";
        writer.Save(weights);
        AtomicFile.Write(model, stream => { using var text = new StreamWriter(stream, leaveOpen: true); text.Write(ModelText); });
        return (model, weights);
    }
}

/// <summary>
/// Reads an ONNX file and translates its graph into a .model text with the weights in ModelC's
/// names and layouts, so the model compiles into a class that computes what ONNX Runtime computes
/// and can be trained further.
/// </summary>
public static class OnnxImport
{
    /// <summary>The ONNX op types the importer translates.</summary>
    public static IReadOnlyList<string> SupportedOps => OnnxTranslator.SupportedOps;

    /// <exception cref="InvalidDataException">The file is not a well-formed ONNX model.</exception>
    /// <exception cref="NotSupportedException">The graph uses an op, attribute or shape ModelC cannot express; the message names the node.</exception>
    public static ImportedModel Read(string path, string? modelName = null) => ImportedModel.From(OnnxTranslator.Read(path, modelName));

    /// <summary>The same for the bytes of an ONNX file; <paramref name="path"/> only names it in messages.</summary>
    public static ImportedModel Parse(byte[] bytes, string path, string? modelName = null) => ImportedModel.From(OnnxTranslator.Parse(bytes, path, modelName));

    /// <summary>"resnet_small.onnx" gives ResnetSmall: the file's name as a C# class name.</summary>
    public static string ModelNameFor(string path) => OnnxTranslator.ModelNameFor(path);
}
