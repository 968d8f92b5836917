using System.CommandLine;
using System.IO;
using ModelC.Compiler.Summary;

namespace ModelC.Cli
{
    /// <summary><c>modelc summary FILE</c>: a Keras-style table of each model's layers, shapes and parameter counts.</summary>
    public static class SummaryCommand
    {
        public static Command Create()
        {
            var file = new Argument<string>("file") { Description = "The .model file to describe." };
            var model = new Option<string?>("--model") { Description = "Only this model of the file (default: every model)." };
            var command = new Command("summary", "Print each model's layers, output shapes, parameter counts and FLOPs.") { file, model };
            command.SetAction(parseResult => Run(
                parseResult.GetRequiredValue(file), parseResult.GetValue(model), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
            return command;
        }

        public static int Run(string file, string? modelName, TextWriter output, TextWriter error)
        {
            var models = AnalyzedFile.TryAnalyze(file, modelName, output, error, out int exitCode);
            if (models is null)
                return exitCode;
            for (int i = 0; i < models.Count; i++)
            {
                if (i > 0)
                    output.WriteLine();
                output.Write(ModelSummary.Create(models[i].Plan).ToText());
            }

            return ExitCodes.Success;
        }
    }
}
