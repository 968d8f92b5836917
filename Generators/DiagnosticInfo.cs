using ModelC.Compiler.Diagnostics;

namespace ModelC.Generators
{
    /// <summary>
    /// A diagnostic as data. Lines and columns are 1-based as in the compiler's SourceSpan;
    /// the conversion to a Roslyn Location happens only when it is reported.
    /// </summary>
    public sealed record DiagnosticInfo(
        string Code,
        bool IsError,
        string Message,
        string FilePath,
        int Start,
        int Length,
        int Line,
        int Column,
        int EndLine,
        int EndColumn)
    {
        /// <param name="modelPath">Where the diagnostic is placed when the compiler gave no file.</param>
        public static DiagnosticInfo From(Diagnostic diagnostic, string modelPath) => new DiagnosticInfo(
            diagnostic.Code,
            diagnostic.IsError,
            diagnostic.Message,
            string.IsNullOrEmpty(diagnostic.FilePath) ? modelPath : diagnostic.FilePath,
            diagnostic.Span.Start,
            diagnostic.Span.Length,
            diagnostic.Span.Line,
            diagnostic.Span.Column,
            diagnostic.Span.EndLine,
            diagnostic.Span.EndColumn);

        /// <summary>A diagnostic covering the start of the file, for failures that have no better place.</summary>
        public static DiagnosticInfo AtFileStart(string code, string message, string filePath) =>
            new DiagnosticInfo(code, IsError: true, message, filePath, 0, 0, 1, 1, 1, 1);
    }
}
