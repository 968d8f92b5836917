using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ModelC.Onnx.Import;

/// <summary>A tensor of an imported model: a parameter or buffer name, its ModelC shape and row-major values.</summary>
public sealed record ImportedTensor(string Name, int[] Shape, float[] Values);

/// <summary>An ONNX graph in ModelC's terms: the .model text and the weights it starts from.</summary>
public sealed record OnnxTranslation(string Name, string ModelText, IReadOnlyList<ImportedTensor> Tensors);

/// <summary>
/// Reads an ONNX file and translates its graph into a .model text with the weights in ModelC's
/// names and layouts. What <c>modelc import</c> and the generator's .onnx support both call.
/// </summary>
public static class OnnxTranslator
{
    /// <summary>The ONNX op types the importer translates.</summary>
    public static IReadOnlyList<string> SupportedOps => OnnxImporter.SupportedOps;

    /// <exception cref="InvalidDataException">The file is not a well-formed ONNX model.</exception>
    /// <exception cref="NotSupportedException">The graph uses an op, attribute or shape ModelC cannot express; the message names the node.</exception>
    public static OnnxTranslation Read(string path, string? modelName = null) =>
        OnnxImporter.Import(path, OnnxReader.Read(path), modelName ?? ModelNameFor(path));

    /// <summary>The same for the bytes of an ONNX file; <paramref name="path"/> only names it in messages.</summary>
    public static OnnxTranslation Parse(byte[] bytes, string path, string? modelName = null) =>
        OnnxImporter.Import(path, OnnxReader.Parse(path, bytes), modelName ?? ModelNameFor(path));

    /// <summary>"resnet_small.onnx" gives ResnetSmall: the file's name as a C# class name.</summary>
    public static string ModelNameFor(string path)
    {
        var words = Path.GetFileNameWithoutExtension(path).Split(new[] { '_', '-', '.', ' ' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(IsAsciiLetterOrDigit).ToArray())).Where(w => w.Length > 0)
            .Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1));
        string name = string.Concat(words);
        return name.Length == 0 ? "Imported" : IsAsciiDigit(name[0]) ? "Model" + name : name;
    }

    internal static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

    internal static bool IsAsciiLetterOrDigit(char c) => IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
