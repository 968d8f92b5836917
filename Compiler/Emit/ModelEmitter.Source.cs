using System.Collections.Generic;
using System.Globalization;
using System.Text;
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
            for (int i = 0; i < lines.Count; i++)
                _w.Line(SourceLiteral(lines[i]) + (i < lines.Count - 1 ? " +" : ")]"));
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

        /// <summary>
        /// A C# literal for any text: besides quotes and backslashes, every control character and the
        /// characters C# reads as line breaks (U+0085, U+2028, U+2029) are escaped, since a comment in
        /// a .model file may hold any of them.
        /// </summary>
        private static string SourceLiteral(string text)
        {
            var builder = new StringBuilder(text.Length + 8).Append('"');
            foreach (char ch in text)
            {
                switch (ch)
                {
                    case '\\': builder.Append("\\\\"); break;
                    case '"': builder.Append("\\\""); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (char.IsControl(ch) || ch == '\u0085' || ch == '\u2028' || ch == '\u2029')
                            builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                        else builder.Append(ch);
                        break;
                }
            }
            return builder.Append('"').ToString();
        }
    }
}
