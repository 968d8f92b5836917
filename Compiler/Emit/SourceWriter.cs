using System;
using System.Text;

namespace ModelC.Compiler.Emit
{
    /// <summary>Indent-aware writer for generated C#: '\n' line endings, four-space indents, Block() closes its brace.</summary>
    public sealed class SourceWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        public void Line(string line = "")
        {
            if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
            _text.Append('\n');
        }

        /// <summary>Appends text another writer produced at this writer's indent, as is.</summary>
        public void Raw(string text) => _text.Append(text);

        /// <summary>A writer for a piece of this one, starting at the current indent; <see cref="Raw"/> puts it back.</summary>
        public SourceWriter Fork() => new SourceWriter { _indent = _indent };

        public int Length => _text.Length;

        public void Indent() => _indent++;
        public void Unindent() => _indent--;

        /// <summary>Writes "header {" and returns a scope whose Dispose writes the closing brace.</summary>
        public Scope Block(string header, string close = "}")
        {
            if (header.Length > 0) Line(header);
            Line("{");
            _indent++;
            return new Scope(this, close);
        }

        public override string ToString() => _text.ToString();

        public readonly struct Scope : IDisposable
        {
            private readonly SourceWriter _writer;
            private readonly string _close;
            public Scope(SourceWriter writer, string close) { _writer = writer; _close = close; }
            public void Dispose() { _writer._indent--; _writer.Line(_close); }
        }
    }
}
