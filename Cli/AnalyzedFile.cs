using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;

namespace ModelC.Cli
{
    /// <summary>Reads and analyzes one .model file for the commands that describe models rather than emit them.</summary>
    public static class AnalyzedFile
    {
        /// <summary>
        /// The file's models, or only the one named <paramref name="modelName"/>; null after printing
        /// why not (unreadable file, compile errors, unknown model) with the exit code to return.
        /// </summary>
        public static IReadOnlyList<AnalyzedModel>? TryAnalyze(string file, string? modelName, TextWriter output, TextWriter error, out int exitCode) =>
            TryAnalyze(file, modelName, output, error, out exitCode, out _);

        /// <summary>The same, also handing back the text that was analyzed, so a caller compiles what it checked.</summary>
        public static IReadOnlyList<AnalyzedModel>? TryAnalyze(string file, string? modelName, TextWriter output, TextWriter error, out int exitCode, out string text)
        {
            exitCode = ExitCodes.Success;
            string? read = ModelFileReader.TryRead(file, error);
            text = read ?? "";
            if (read is null)
            {
                exitCode = ExitCodes.BadInput;
                return null;
            }

            var diagnostics = new DiagnosticBag(file);
            var models = ModelCompiler.Analyze(file, text, null, diagnostics);
            var reported = diagnostics.Items;
            foreach (var diagnostic in reported)
                output.WriteLine(diagnostic.ToString());
            if (reported.Any(d => d.IsError))
            {
                exitCode = ExitCodes.CompileErrors;
                return null;
            }

            if (modelName is null)
                return models;
            var chosen = models.Where(m => m.Graph.Name == modelName).ToList();
            if (chosen.Count == 0)
            {
                error.WriteLine($"modelc: '{file}' has no model named '{modelName}'; it declares {string.Join(", ", models.Select(m => m.Graph.Name))}");
                exitCode = ExitCodes.BadInput;
                return null;
            }

            return chosen;
        }
    }
}
