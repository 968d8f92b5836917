using System.Collections.Generic;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Diagnostics
{
    /// <summary>Collects the diagnostics of one file, in the order found.</summary>
    public sealed partial class DiagnosticBag
    {
        private readonly List<Diagnostic> _items = new List<Diagnostic>();
        private readonly HashSet<int> _withContext = new HashSet<int>();

        public DiagnosticBag(string filePath) { FilePath = filePath; }

        public string FilePath { get; }
        public IReadOnlyList<Diagnostic> Items => _items;
        public bool HasErrors => ErrorCount > 0;

        /// <summary>Counted as they come, so that asking after every model of a large file stays cheap.</summary>
        public int ErrorCount { get; private set; }

        /// <summary>Candidate names the file's did-you-mean searches have compared (see NameSuggestions).</summary>
        internal int SuggestionComparisons { get; set; }

        // Private, so that every message is worded once, in a Report helper next to the catalog.
        private void Error(string code, SourceSpan span, string message)
        {
            _items.Add(new Diagnostic(code, DiagnosticSeverity.Error, message, FilePath, span));
            ErrorCount++;
        }

        private void Warning(string code, SourceSpan span, string message) =>
            _items.Add(new Diagnostic(code, DiagnosticSeverity.Warning, message, FilePath, span));

        /// <summary>The parser's syntax errors, worded by the parser (SyntaxErrorCodes).</summary>
        public void AddSyntaxErrors(IEnumerable<SyntaxDiagnostic> syntaxErrors)
        {
            foreach (var d in syntaxErrors) Error(d.Code, d.Span, d.Message);
        }

        /// <summary>
        /// Adds where it happened to every message from index <paramref name="start"/> on (the block
        /// instance a block's error belongs to). A message gets one context, the innermost: an
        /// instance's name already spells the path (res1.inner.conv), and nested blocks would
        /// otherwise grow a message by a sentence per level.
        /// </summary>
        public void AddContext(int start, string context)
        {
            for (int i = start; i < _items.Count; i++)
                if (_withContext.Add(i)) _items[i] = _items[i] with { Message = _items[i].Message + " " + context };
        }
    }
}
