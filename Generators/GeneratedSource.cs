namespace ModelC.Generators
{
    /// <summary>One C# file the compiler produced for a model.</summary>
    public sealed record GeneratedSource(string HintName, string Source);
}
