using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using ModelC.Compiler;

namespace ModelC.Cli
{
    /// <summary><c>modelc emit FILE -o DIR</c>: write the C# the source generator would add to a build.</summary>
    public static class EmitCommand
    {
        public static Command Create()
        {
            var file = new Argument<string>("file") { Description = "The .model file to compile." };
            var outputDirectory = new Option<string>("--output", "-o")
            {
                Description = "The folder to write the generated .cs files to (created if missing).",
                Required = true,
            };
            var rootNamespace = new Option<string?>("--namespace")
            {
                Description = "The namespace for models whose file declares none (the generator uses the project's RootNamespace).",
            };
            var command = new Command("emit", "Write the C# generated from a .model file.") { file, outputDirectory, rootNamespace };
            command.SetAction(parseResult => Run(
                parseResult.GetRequiredValue(file),
                parseResult.GetRequiredValue(outputDirectory),
                parseResult.GetValue(rootNamespace),
                parseResult.InvocationConfiguration.Output,
                parseResult.InvocationConfiguration.Error));
            return command;
        }

        /// <summary>Writes nothing when the model has errors, so a stale folder is never half updated.</summary>
        public static int Run(string file, string outputDirectory, string? rootNamespace, TextWriter output, TextWriter error)
        {
            var text = ModelFileReader.TryRead(file, error);
            if (text is null)
                return ExitCodes.BadInput;

            // The same call and options as the generator, so both produce the same C#.
            var result = ModelCompiler.Compile(file, text, new CompileOptions(rootNamespace));
            foreach (var diagnostic in result.Diagnostics)
                output.WriteLine(diagnostic.ToString());
            if (result.Diagnostics.Any(diagnostic => diagnostic.IsError))
                return ExitCodes.CompileErrors;

            try
            {
                Directory.CreateDirectory(outputDirectory);
                foreach (var generated in result.Files)
                {
                    // Hint names are file names; GetFileName keeps a odd one from escaping the folder.
                    string path = Path.Combine(outputDirectory, Path.GetFileName(generated.HintName));
                    File.WriteAllText(path, generated.Source);
                    output.WriteLine($"wrote {path}");
                }
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                error.WriteLine($"modelc: cannot write to '{outputDirectory}': {exception.Message}");
                return ExitCodes.BadInput;
            }
            return ExitCodes.Success;
        }
    }
}
