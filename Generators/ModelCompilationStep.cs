using System;
using System.Linq;
using System.Threading;
using ModelC.Compiler;

namespace ModelC.Generators
{
    /// <summary>Compiles one .model file into a <see cref="CompiledModel"/>; never throws except for cancellation.</summary>
    internal static class ModelCompilationStep
    {
        public static CompiledModel Run(ModelSource source, string? rootNamespace, CompileFunction compile, CancellationToken cancellationToken)
        {
            if (source.Text is null)
            {
                return Failed(source.Path, DiagnosticInfo.AtFileStart(
                    DiagnosticDescriptors.UnreadableFileCode, $"cannot read model file '{source.Path}'", source.Path));
            }

            try
            {
                var result = compile(source.Path, source.Text, new CompileOptions(rootNamespace), cancellationToken);
                return new CompiledModel(
                    source.Path,
                    // A model with errors still gets its class, as a stand-in, so only its MC errors are reported.
                    new EquatableArray<GeneratedSource>(result.Files.Concat(result.StandIns).Select(file => new GeneratedSource(file.HintName, file.Source))),
                    new EquatableArray<DiagnosticInfo>(result.Diagnostics.Select(diagnostic => DiagnosticInfo.From(diagnostic, source.Path))));
            }
            catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // A failure inside the compiler must not surface as the generic CS8785 "generator failed",
                // which hides the file it happened in.
                return Failed(source.Path, DiagnosticInfo.AtFileStart(
                    DiagnosticDescriptors.InternalErrorCode, $"internal compiler error: {OneLine(exception.Message)}", source.Path));
            }
        }

        private static CompiledModel Failed(string path, DiagnosticInfo diagnostic) =>
            new CompiledModel(path, EquatableArray<GeneratedSource>.Empty, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));

        // Canonical diagnostics are one line each, so MSBuild and editors parse them.
        private static string OneLine(string message) => message.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
    }
}
