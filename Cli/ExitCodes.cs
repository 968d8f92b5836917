namespace ModelC.Cli
{
    /// <summary>What modelc's exit code means, the same for every command.</summary>
    public static class ExitCodes
    {
        public const int Success = 0;

        /// <summary>A .model file has errors (printed as diagnostics).</summary>
        public const int CompileErrors = 1;

        /// <summary>The command could not run: a file is missing or unreadable, an output folder cannot be written.</summary>
        public const int BadInput = 2;
    }
}
