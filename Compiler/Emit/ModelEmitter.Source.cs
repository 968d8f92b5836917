using System.Linq;
using System.Collections.Generic;
using static ModelC.Compiler.Emit.CSharpNames;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// The .model text as an attribute of the class (ModelC.Runtime.ModelSourceAttribute), so a tool
    /// holding only an instance can bind the graph again. An attribute rather than a member: no name
    /// it could take is safe from a model or output of the same name.
    /// </summary>
    public sealed partial class ModelEmitter
    {
        // Literals in the attribute and the summary fit the line limit after their indent and " +".
        private const int LiteralLength = LineWrapper.MaxLineLength - 24;

        /// <summary>One literal per line of the text, so the generated file stays readable.</summary>
        private void EmitSourceAttribute()
        {
            var lines = SplitKeepingNewlines(_graph.SourceText);
            if (lines.Count == 0)
            {
                _w.Line($"[{Runtime}.ModelSource({Quote(_graph.FileName)}, \"\")]");
                return;
            }
            _w.Line($"[{Runtime}.ModelSource({Quote(_graph.FileName)},");
            _w.Indent();
            var pieces = lines.SelectMany(line => QuoteInPieces(line, LiteralLength)).ToList();
            for (int i = 0; i < pieces.Count; i++)
                _w.Line(pieces[i] + (i < pieces.Count - 1 ? " +" : ")]"));
            _w.Unindent();
        }

        private static List<string> SplitKeepingNewlines(string text)
        {
            var lines = new List<string>();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] != '\n') continue;
                lines.Add(text.Substring(start, i + 1 - start));
                start = i + 1;
            }
            if (start < text.Length) lines.Add(text.Substring(start));
            return lines;
        }
    }
}
