using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using ModelC.Compiler;

namespace ModelC.Cli
{
    /// <summary><c>modelc check FILE...</c>: compile without writing anything and report every diagnostic.</summary>
    public static class CheckCommand
    {
        public static Command Create()
        {
            var files = new Argument<string[]>("files")
            {
                Description = "The .model files to check.",
                Arity = ArgumentArity.OneOrMore,
            };
            var command = new Command("check", "Report the errors and warnings in .model files.") { files };
            command.SetAction(parseResult => Run(parseResult.GetRequiredValue(files), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
            return command;
        }

        /// <summary>
        /// Prints each diagnostic in the canonical <c>file(line,col): error MCnnnn: message</c> form.
        /// Every file is read before any is compiled, so a typo in one path is reported on its own.
        /// </summary>
        public static int Run(IReadOnlyList<string> files, TextWriter output, TextWriter error)
        {
            var texts = files.Select(file => ModelFileReader.TryRead(file, error)).ToList();
            if (texts.Any(text => text is null))
                return ExitCodes.BadInput;

            int errorCount = 0;
            for (int i = 0; i < files.Count; i++)
            {
                var result = ModelCompiler.Compile(files[i], texts[i]!);
                foreach (var diagnostic in result.Diagnostics)
                {
                    output.WriteLine(diagnostic.ToString());
                    if (diagnostic.IsError)
                        errorCount++;
                }
            }

            if (errorCount > 0)
            {
                output.WriteLine($"{files.Count} file(s) checked, {errorCount} error(s)");
                return ExitCodes.CompileErrors;
            }
            output.WriteLine($"{files.Count} file(s) checked, no errors");
            return ExitCodes.Success;
        }
    }
}
