using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Diagnostics
{
    public enum DiagnosticSeverity { Error, Warning }

    /// <summary>
    /// A problem in a .model file, as plain data (no Roslyn types), so it can flow through the
    /// generator pipeline with value equality and become a Roslyn Location only at the edge.
    /// </summary>
    public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Message, string FilePath, SourceSpan Span)
    {
        public bool IsError => Severity == DiagnosticSeverity.Error;

        /// <summary>The canonical <c>file(line,col): error MCnnnn: message</c> form that MSBuild and editors understand.</summary>
        public override string ToString() =>
            $"{FilePath}({Span.Line},{Span.Column}): {(IsError ? "error" : "warning")} {Code}: {Message}";
    }
}
