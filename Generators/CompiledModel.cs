namespace ModelC.Generators
{
    /// <summary>What compiling one .model file produced; compared by value between runs.</summary>
    public sealed record CompiledModel(
        string FilePath,
        EquatableArray<GeneratedSource> Files,
        EquatableArray<DiagnosticInfo> Diagnostics);
}
