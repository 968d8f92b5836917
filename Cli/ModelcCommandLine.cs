using System.Collections.Generic;
using System.CommandLine;

namespace ModelC.Cli
{
    /// <summary>The modelc command tree; each command lives in its own class.</summary>
    public static class ModelcCommandLine
    {
        public static RootCommand Create() => new RootCommand("modelc: check, compile, describe, train, export and import ModelC models.")
        {
            CheckCommand.Create(),
            EmitCommand.Create(),
            SummaryCommand.Create(),
            GraphCommand.Create(),
            TrainCommand.Create(),
            ExportCommand.Create(),
            ImportCommand.Create(),
        };

        /// <summary>Parses and runs one modelc invocation; returns one of <see cref="ExitCodes"/>.</summary>
        public static int Run(IReadOnlyList<string> args, InvocationConfiguration? configuration = null)
        {
            var parseResult = Create().Parse(args);
            int exitCode = parseResult.Invoke(configuration);
            // System.CommandLine exits 1 on a usage error; modelc keeps 1 for "the model has errors".
            return parseResult.Errors.Count > 0 ? ExitCodes.BadInput : exitCode;
        }
    }
}
