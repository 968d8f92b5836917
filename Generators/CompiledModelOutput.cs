using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ModelC.Generators
{
    /// <summary>The edge of the pipeline: adds the generated sources and turns diagnostic data into Roslyn diagnostics.</summary>
    internal static class CompiledModelOutput
    {
        public static void Add(SourceProductionContext output, ImmutableArray<CompiledModel> models)
        {
            var hintNames = new UniqueHintNames();
            // The driver keeps additional files in project order; sorting by path makes the
            // disambiguation of clashing hint names independent of it.
            foreach (var model in models.OrderBy(model => model.FilePath, StringComparer.Ordinal))
            {
                output.CancellationToken.ThrowIfCancellationRequested();
                foreach (var diagnostic in model.Diagnostics)
                    output.ReportDiagnostic(ToRoslyn(diagnostic));
                foreach (var file in model.Files)
                    output.AddSource(hintNames.Claim(file.HintName, model.FilePath), SourceText.From(file.Source, Encoding.UTF8));
            }
        }

        private static Diagnostic ToRoslyn(DiagnosticInfo info) =>
            Diagnostic.Create(DiagnosticDescriptors.ForCode(info.Code, info.IsError), ToLocation(info), info.Message);

        private static Location ToLocation(DiagnosticInfo info)
        {
            int start = Math.Max(0, info.Start);
            var textSpan = new TextSpan(start, Math.Max(0, info.Length));
            // The compiler counts lines and columns from 1, Roslyn from 0.
            var first = new LinePosition(Math.Max(0, info.Line - 1), Math.Max(0, info.Column - 1));
            var last = new LinePosition(Math.Max(0, info.EndLine - 1), Math.Max(0, info.EndColumn - 1));
            if (last < first)
                last = first;
            return Location.Create(info.FilePath, textSpan, new LinePositionSpan(first, last));
        }
    }
}
