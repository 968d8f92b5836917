namespace ModelC.Dsl.Syntax
{
    /// <summary>A problem found while reading the text of a .model file (before any meaning is given to it).</summary>
    public sealed record SyntaxDiagnostic(string Code, string Message, SourceSpan Span);
}
