using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using ModelC.Onnx.Import;

namespace ModelC.Generators
{
    /// <summary>Reads an .onnx file's bytes; replaceable in tests.</summary>
    internal delegate byte[] ReadBytesFunction(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Compiles one .onnx file of AdditionalFiles: the graph is translated into .model text (as
    /// <c>modelc import</c> does), that text is compiled like any .model file, and a second part of
    /// the class holds the file's weights. Never throws except for cancellation.
    /// </summary>
    internal static class OnnxCompilationStep
    {
        /// <summary>
        /// The most weights the class embeds: its base64 text must fit the assembly's string heap
        /// (16 MB of UTF-16) beside everything else. Larger models go through <c>modelc import</c>.
        /// </summary>
        public const int MaxEmbeddedFloats = 1 << 20;

        public static CompiledModel Run(string path, ReadBytesFunction readBytes, string? rootNamespace, CompileFunction compile, CancellationToken cancellationToken)
        {
            byte[] bytes;
            try
            {
                bytes = readBytes(path, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException)
            {
                return Failed(path, DiagnosticCatalog.UnreadableFile, $"cannot read ONNX file '{path}': {exception.Message}");
            }

            try
            {
                OnnxTranslation translation;
                try
                {
                    translation = OnnxTranslator.Parse(bytes, Path.GetFileName(path), OnnxTranslator.ModelNameFor(path));
                }
                catch (Exception exception) when (exception is InvalidDataException || exception is NotSupportedException)
                {
                    return Failed(path, DiagnosticCatalog.OnnxNotCompilable, OneLine(exception.Message));
                }

                long floats = translation.Tensors.Sum(t => (long)t.Values.Length);
                if (floats > MaxEmbeddedFloats)
                {
                    return Failed(path, DiagnosticCatalog.OnnxNotCompilable,
                        $"{Path.GetFileName(path)}: its weights are {floats} floats, more than the {MaxEmbeddedFloats} a generated class embeds; " +
                        "run 'modelc import' instead and load the .safetensors it writes");
                }

                var result = compile(path, translation.ModelText, new CompileOptions(rootNamespace), cancellationToken);
                if (result.HasErrors || result.Files.Count != 1)
                {
                    // The importer writes only text the compiler accepts; a diagnostic here is ModelC's bug,
                    // and its line and column point into text the user never saw.
                    string problems = string.Join("; ", result.Diagnostics.Where(d => d.IsError).Select(d => $"({d.Span.Line},{d.Span.Column}): {d.Message}"));
                    return Failed(path, DiagnosticCatalog.InternalError,
                        $"internal compiler error: the .model text imported from {Path.GetFileName(path)} does not compile: {OneLine(problems)}");
                }

                var code = result.Files[0];
                string? @namespace = string.IsNullOrWhiteSpace(rootNamespace) ? null : rootNamespace!.Trim();
                var weights = new GeneratedSource(
                    code.HintName.Substring(0, code.HintName.Length - ".g.cs".Length) + ".OnnxWeights.g.cs",
                    OnnxWeightsSource.Emit(@namespace, translation.Name, Path.GetFileName(path), translation.Tensors));
                return new CompiledModel(
                    path,
                    new EquatableArray<GeneratedSource>(new[] { new GeneratedSource(code.HintName, code.Source), weights }),
                    new EquatableArray<DiagnosticInfo>(result.Diagnostics.Select(d => DiagnosticInfo.AtFileStart(d.Code, OneLine(d.Message), path) with { IsError = d.IsError })));
            }
            catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                return Failed(path, DiagnosticCatalog.InternalError, $"internal compiler error: {OneLine(exception.Message)}");
            }
        }

        /// <summary>The file as it is on disk: see <see cref="ModelCGenerator"/> for why a generator reads it.</summary>
        public static byte[] ReadFromDisk(string path, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
#pragma warning disable RS1035 // AdditionalText offers an .onnx file only as decoded text; its bytes must come from its path.
            return File.ReadAllBytes(path);
#pragma warning restore RS1035
        }

        private static CompiledModel Failed(string path, string code, string message) =>
            new CompiledModel(path, EquatableArray<GeneratedSource>.Empty, new EquatableArray<DiagnosticInfo>(new[] { DiagnosticInfo.AtFileStart(code, message, path) }));

        private static string OneLine(string message) => message.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
    }
}
