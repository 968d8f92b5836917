using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>What must hold for any text at all: no exception, catalogued codes, positions inside the text.</summary>
    internal static class CorpusAssert
    {
        public const string FilePath = "corpus.model";

        /// <summary>Compiles text and fails with every broken promise listed (the text's head is shown for context).</summary>
        public static CompileResult CompilesWithSoundDiagnostics(string text)
        {
            CompileResult? result = null;
            var exception = Record.Exception(() => result = ModelCompiler.Compile(FilePath, text));
            Assert.True(exception is null, $"Compile threw {exception} for: {Head(text)}");

            var problems = Problems(text, result!).ToList();
            Assert.True(problems.Count == 0, $"for {Head(text)}:\n{string.Join("\n", problems)}");
            return result!;
        }

        private static IEnumerable<string> Problems(string text, CompileResult result)
        {
            int lines = TextPosition.LineCount(text);
            foreach (var d in result.Diagnostics)
            {
                if (d.Code == DiagnosticCatalog.InternalError) yield return $"internal compiler error: {d}";
                else if (!KnownCodes.All.Contains(d.Code)) yield return $"code in neither catalog: {d}";
                if (d.FilePath != FilePath) yield return $"wrong file path: {d}";

                var span = d.Span;
                if (span.Start < 0 || span.Length < 0 || span.End > text.Length)
                {
                    yield return $"span [{span.Start}, {span.End}) outside the text of {text.Length} characters: {d}";
                    continue;
                }
                if (span.Line < 1 || span.Line > lines || span.Column < 1 || span.Column > TextPosition.LineLength(text, span.Line) + 1)
                {
                    yield return $"position ({span.Line},{span.Column}) outside the text of {lines} lines: {d}";
                    continue;
                }
                if (TextPosition.Of(text, span.Start) != (span.Line, span.Column))
                    yield return $"({span.Line},{span.Column}) is not where offset {span.Start} is, {TextPosition.Of(text, span.Start)}: {d}";
                if (TextPosition.Of(text, span.End) != (span.EndLine, span.EndColumn))
                    yield return $"end ({span.EndLine},{span.EndColumn}) is not where offset {span.End} is, {TextPosition.Of(text, span.End)}: {d}";
            }
            if (result.HasErrors && result.Files.Count > 0)
                yield return $"{result.Files.Count} files generated despite errors";
        }

        private static string Head(string text) =>
            "\"" + (text.Length <= 300 ? text : text.Substring(0, 300) + "…") + "\"";
    }
}
