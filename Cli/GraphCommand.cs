using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using ModelC.Compiler.Summary;

namespace ModelC.Cli
{
    /// <summary><c>modelc graph FILE --format dot|mermaid</c>: draw a model's data flow.</summary>
    public static class GraphCommand
    {
        public static Command Create()
        {
            var file = new Argument<string>("file") { Description = "The .model file to draw." };
            var format = new Option<DiagramFormat>("--format") { Description = "dot (Graphviz) or mermaid.", DefaultValueFactory = _ => DiagramFormat.Dot };
            var model = new Option<string?>("--model") { Description = "The model to draw, when the file declares several." };
            var command = new Command("graph", "Draw a model as a Graphviz or Mermaid diagram.") { file, format, model };
            command.SetAction(parseResult => Run(
                parseResult.GetRequiredValue(file), parseResult.GetValue(format), parseResult.GetValue(model),
                parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
            return command;
        }

        public static int Run(string file, DiagramFormat format, string? modelName, TextWriter output, TextWriter error)
        {
            var models = AnalyzedFile.TryAnalyze(file, modelName, output, error, out int exitCode);
            if (models is null)
                return exitCode;
            if (models.Count != 1)
            {
                error.WriteLine($"modelc: '{file}' declares {models.Count} models ({string.Join(", ", models.Select(m => m.Graph.Name))}); choose one with --model");
                return ExitCodes.BadInput;
            }

            output.Write(ModelDiagram.Write(models[0].Plan, format));
            return ExitCodes.Success;
        }
    }
}
