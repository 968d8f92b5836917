using System.Collections.Generic;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Diagnostics
{
    /// <summary>Collects the diagnostics of one file, in the order found.</summary>
    public sealed class DiagnosticBag
    {
        private readonly List<Diagnostic> _items = new List<Diagnostic>();

        public DiagnosticBag(string filePath) { FilePath = filePath; }

        public string FilePath { get; }
        public IReadOnlyList<Diagnostic> Items => _items;
        public bool HasErrors => _items.Exists(d => d.IsError);

        public void Error(string code, SourceSpan span, string message) =>
            _items.Add(new Diagnostic(code, DiagnosticSeverity.Error, message, FilePath, span));

        public void Warning(string code, SourceSpan span, string message) =>
            _items.Add(new Diagnostic(code, DiagnosticSeverity.Warning, message, FilePath, span));

        /// <summary>Adds where it happened to every message from index <paramref name="start"/> on (the block instance a block's error belongs to).</summary>
        public void AddContext(int start, string context)
        {
            for (int i = start; i < _items.Count; i++)
                _items[i] = _items[i] with { Message = _items[i].Message + " " + context };
        }
    }
}
