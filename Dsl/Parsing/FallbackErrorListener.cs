using System.IO;
using Antlr4.Runtime;
using ModelC.Dsl.Syntax;

namespace ModelC.Dsl.Parsing
{
    /// <summary>
    /// Replaces ANTLR's console listeners. The lexer has a catch-all token and
    /// <see cref="SyntaxErrorStrategy"/> reports the parser's errors itself, so anything arriving
    /// here is a path neither covers; it is still reported, never printed or thrown.
    /// </summary>
    internal sealed class FallbackErrorListener : IAntlrErrorListener<int>, IAntlrErrorListener<IToken>
    {
        private readonly SourceText source;
        private readonly DiagnosticBag diagnostics;

        public FallbackErrorListener(SourceText source, DiagnosticBag diagnostics)
        {
            this.source = source;
            this.diagnostics = diagnostics;
        }

        public void SyntaxError(TextWriter output, IRecognizer recognizer, int offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            diagnostics.Report(SyntaxErrorCodes.SyntaxError, msg, source.AtLineAndColumn(line, charPositionInLine));

        public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            diagnostics.Report(SyntaxErrorCodes.SyntaxError, msg, offendingSymbol != null ? source.Of(offendingSymbol) : source.AtLineAndColumn(line, charPositionInLine));
    }
}
