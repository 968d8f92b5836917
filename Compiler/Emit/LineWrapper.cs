using System;
using System.Collections.Generic;
using System.Text;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// Keeps generated lines at <see cref="MaxLineLength"/> characters or fewer, the way a person
    /// would break them: a call's arguments packed onto continuation lines, an expression body after
    /// its <c>=&gt;</c>, a condition before its operator, a comment between words. It breaks only
    /// where C# allows whitespace (never inside a string, character literal or token), so the code
    /// means what it meant; a single token longer than the limit (a 200-character name) stays long.
    /// </summary>
    public static class LineWrapper
    {
        public const int MaxLineLength = 120;
        private const string ContinuationIndent = "    ";

        public static string Wrap(string source, int maxLength = MaxLineLength)
        {
            var result = new StringBuilder(source.Length + source.Length / 16);
            int start = 0;
            while (start < source.Length)
            {
                int end = source.IndexOf('\n', start);
                string line = end < 0 ? source.Substring(start) : source.Substring(start, end - start);
                foreach (var piece in WrapLine(line, maxLength)) result.Append(piece).Append('\n');
                if (end < 0)
                {
                    result.Length--; // the source had no final line end
                    break;
                }
                start = end + 1;
            }
            return result.ToString();
        }

        // Each cut moves text to a new line, so a few rounds reach the limit; the bound only guards the odd case.
        private const int MaxRounds = 12;

        private static IEnumerable<string> WrapLine(string line, int maxLength, int round = 0)
        {
            if (line.Length <= maxLength || round == MaxRounds) return new[] { line };
            var pieces = Split(line, maxLength);
            if (pieces is null) return new[] { line };
            var wrapped = new List<string>();
            foreach (var piece in pieces)
            {
                if (piece != line) wrapped.AddRange(WrapLine(piece, maxLength, round + 1));
                else wrapped.Add(piece);
            }
            return wrapped;
        }

        /// <summary>The line cut at its best break, or null when it has none.</summary>
        private static List<string>? Split(string line, int maxLength)
        {
            int indentLength = line.Length - line.TrimStart(' ').Length;
            string indent = line.Substring(0, indentLength);
            string body = line.Substring(indentLength);
            if (body.StartsWith("//", StringComparison.Ordinal)) return SplitComment(indent, body, maxLength);

            var code = Scan(line);
            // The level of the line's own text: a bracket closing a group of an earlier line is below it.
            int level = -1;
            for (int i = indentLength; i < code.Length && level < 0; i++)
                if (code.Kind[i] == CharKind.Code) level = code.Depth[i];
            if (level < 0) return null;
            string more = indent + ContinuationIndent;

            // A trailing comment that makes the line too long goes above it.
            int comment = Array.IndexOf(code.Kind, CharKind.Comment);
            if (comment > indentLength && line.Substring(0, comment).TrimEnd().Length <= maxLength)
                return new List<string> { indent + line.Substring(comment), line.Substring(0, comment).TrimEnd() };

            // An expression body goes on its own line.
            int arrow = Find(line, code, "=>", level, indentLength + 1);
            if (arrow > 0) return new List<string> { line.Substring(0, arrow).TrimEnd(), more + line.Substring(arrow) };

            // The statement of a one-line for or if goes under its header.
            foreach (var keyword in new[] { "for (", "if (", "else if (", "while (" })
            {
                if (!body.StartsWith(keyword, StringComparison.Ordinal)) continue;
                int open = indentLength + keyword.Length - 1;
                if (Arguments(line, code, open, out int close).Count > 0 && close + 2 < line.Length && line[close + 1] == ' ')
                    return new List<string> { line.Substring(0, close + 1), more + line.Substring(close + 2) };
            }

            var call = SplitCall(line, code, indentLength, level, more, maxLength, minimumArguments: 2);
            if (call is not null) return call;

            // A continuation line that is itself a list of arguments.
            var items = Items(line, code, indentLength, level, out _);
            if (items.Count >= 2) return Pack(new List<string>(), items, indent, maxLength);

            // Several statements: one per line.
            int end = Find(line, code, "; ", level, indentLength + 1);
            if (end > 0) return new List<string> { line.Substring(0, end + 1), indent + line.Substring(end + 2) };

            // An assignment: the value on the next line; then a condition or sum, before its operator.
            foreach (var op in new[] { " = ", " += ", " -= " })
            {
                int at = Find(line, code, op, level, indentLength + 1);
                if (at > 0) return new List<string> { line.Substring(0, at + op.Length - 1), more + line.Substring(at + op.Length) };
            }
            foreach (var op in new[] { " ? ", " : ", " || ", " && ", " + " })
            {
                int at = Find(line, code, op, level, indentLength + 1);
                if (at > 0) return new List<string> { line.Substring(0, at), more + line.Substring(at + 1) };
            }

            // A single long argument under its call; at last, any space between tokens.
            call = SplitCall(line, code, indentLength, level, more, maxLength, minimumArguments: 1);
            if (call is not null) return call;
            int space = -1;
            for (int i = indentLength + 1; i < line.Length - 1; i++)
                if (line[i] == ' ' && code.Kind[i] == CharKind.Code && code.Depth[i] == level && (space < 0 || i <= maxLength)) space = i;
            return space > 0 ? new List<string> { line.Substring(0, space), more + line.Substring(space + 1) } : null;
        }

        /// <summary>
        /// The first call, indexer or initializer at the line's level with at least
        /// <paramref name="minimumArguments"/> items, the items packed onto continuation lines; null when there is none.
        /// </summary>
        private static List<string>? SplitCall(string line, ScannedLine code, int from, int level, string more, int maxLength, int minimumArguments)
        {
            for (int open = from; open < line.Length; open++)
            {
                if (code.Kind[open] != CharKind.Code || code.Depth[open] != level || (line[open] != '(' && line[open] != '[' && line[open] != '{')) continue;
                var arguments = Arguments(line, code, open, out int close);
                if (arguments.Count < minimumArguments) continue;
                // One short argument is not worth a line of its own (if (!x.IsEmpty) ..., a[i + 1]).
                if (arguments.Count == 1 && close - open < line.Length / 2) continue;
                return Pack(new List<string> { line.Substring(0, open + 1).TrimEnd() }, arguments, more, maxLength);
            }
            return null;
        }

        /// <summary>Items packed greedily onto lines that start with <paramref name="indent"/>, after <paramref name="pieces"/>.</summary>
        private static List<string> Pack(List<string> pieces, List<string> items, string indent, int maxLength)
        {
            var current = new StringBuilder(indent);
            foreach (var item in items)
            {
                if (current.Length > indent.Length && current.Length + 1 + item.Length > maxLength)
                {
                    pieces.Add(current.ToString());
                    current.Clear().Append(indent);
                }
                if (current.Length > indent.Length) current.Append(' ');
                current.Append(item);
            }
            pieces.Add(current.ToString());
            return pieces;
        }

        private static List<string>? SplitComment(string indent, string body, int maxLength)
        {
            string marker = body.StartsWith("///", StringComparison.Ordinal) ? "/// " : "// ";
            string text = body.Substring(marker.TrimEnd().Length).TrimStart(' ');
            var words = text.Split(' ');
            if (words.Length < 2) return null;
            var pieces = new List<string>();
            var current = new StringBuilder(indent + marker);
            int emptyLength = current.Length;
            foreach (var word in words)
            {
                if (current.Length > emptyLength && current.Length + 1 + word.Length > maxLength)
                {
                    pieces.Add(current.ToString());
                    current.Clear().Append(indent).Append(marker).Append(ContinuationIndent.Substring(2));
                    emptyLength = current.Length;
                }
                if (current.Length > emptyLength) current.Append(' ');
                current.Append(word);
            }
            pieces.Add(current.ToString());
            return pieces.Count > 1 ? pieces : null;
        }

        /// <summary>Where <paramref name="token"/> first occurs as code at the given depth, or -1.</summary>
        private static int Find(string line, ScannedLine code, string token, int depth, int from)
        {
            for (int i = from; i + token.Length <= line.Length; i++)
            {
                if (string.CompareOrdinal(line, i, token, 0, token.Length) != 0) continue;
                bool allCode = true;
                for (int k = 0; k < token.Length && allCode; k++)
                    allCode = code.Kind[i + k] == CharKind.Code && code.Depth[i + k] == depth;
                if (allCode) return i;
            }
            return -1;
        }

        /// <summary>The items of the group opened at <paramref name="open"/> (see <see cref="Items"/>).</summary>
        private static List<string> Arguments(string line, ScannedLine code, int open, out int close) =>
            Items(line, code, open + 1, code.Depth[open] + 1, out close);

        /// <summary>
        /// The comma-separated items from <paramref name="start"/> at bracket depth
        /// <paramref name="inner"/>, trimmed, each with its comma; the last one carries the rest of the
        /// line from the closing bracket on. A group that closes on a later line ends with the line.
        /// <paramref name="close"/> is the closing bracket's position, or the line's length.
        /// </summary>
        private static List<string> Items(string line, ScannedLine code, int start, int inner, out int close)
        {
            var items = new List<string>();
            for (int i = start; i < line.Length; i++)
            {
                if (code.Kind[i] != CharKind.Code) continue;
                if (code.Depth[i] == inner && line[i] == ',')
                {
                    items.Add(line.Substring(start, i + 1 - start).Trim());
                    start = i + 1;
                }
                else if (code.Depth[i] == inner - 1 && (line[i] == ')' || line[i] == ']' || line[i] == '}'))
                {
                    close = i;
                    string last = line.Substring(start, i - start).Trim();
                    // An initializer keeps the space before its closing brace: { a, b }.
                    string closing = line[i] == '}' ? " " + line.Substring(i) : line.Substring(i);
                    if (last.Length > 0) items.Add(last + closing);
                    else if (items.Count > 0) items[items.Count - 1] += closing.TrimStart();
                    return items;
                }
            }
            close = line.Length;
            string rest = line.Substring(start).Trim();
            if (rest.Length > 0) items.Add(rest);
            return items;
        }

        private enum CharKind : byte { Code, Literal, Comment }

        private sealed class ScannedLine
        {
            public ScannedLine(int length) { Kind = new CharKind[length]; Depth = new int[length]; }
            public CharKind[] Kind { get; }
            /// <summary>Bracket depth: an opening bracket has its outer depth, so does its closing one.</summary>
            public int[] Depth { get; }
            public int Length => Kind.Length;
        }

        /// <summary>What each character is (code, inside a literal, inside a comment) and its bracket depth.</summary>
        private static ScannedLine Scan(string line)
        {
            var scanned = new ScannedLine(line.Length);
            int depth = 0;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (c == '/' && i + 1 < line.Length && line[i + 1] == '/')
                {
                    for (; i < line.Length; i++) { scanned.Kind[i] = CharKind.Comment; scanned.Depth[i] = depth; }
                    break;
                }
                if (c == '"' || c == '\'')
                {
                    bool verbatim = i > 0 && line[i - 1] == '@';
                    int end = LiteralEnd(line, i, verbatim);
                    for (int k = i; k <= end && k < line.Length; k++) { scanned.Kind[k] = CharKind.Literal; scanned.Depth[k] = depth; }
                    i = end;
                    continue;
                }
                if (c == '<' && i > 0 && (char.IsLetterOrDigit(line[i - 1]) || line[i - 1] == '_') && GenericEnd(line, i) is int close)
                {
                    // Type arguments (Dictionary<string, double>) stay on one line.
                    for (int k = i; k <= close; k++) { scanned.Kind[k] = CharKind.Literal; scanned.Depth[k] = depth; }
                    i = close;
                    continue;
                }
                if (c == ')' || c == ']' || c == '}') depth--;
                scanned.Kind[i] = CharKind.Code;
                scanned.Depth[i] = depth;
                if (c == '(' || c == '[' || c == '{') depth++;
            }
            return scanned;
        }

        /// <summary>The '>' that closes a type argument list opened at <paramref name="open"/>, or null when it is not one.</summary>
        private static int? GenericEnd(string line, int open)
        {
            int nesting = 0;
            for (int i = open; i < line.Length; i++)
            {
                char c = line[i];
                if (c == '<') nesting++;
                else if (c == '>' && --nesting == 0) return i;
                else if (!(char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == ':' || c == ',' || c == ' ' || c == '?' || c == '[' || c == ']')) return null;
            }
            return null;
        }

        /// <summary>The position of the quote that closes the literal opened at <paramref name="open"/> (the line's end if none).</summary>
        private static int LiteralEnd(string line, int open, bool verbatim)
        {
            char quote = line[open];
            for (int i = open + 1; i < line.Length; i++)
            {
                if (!verbatim && line[i] == '\\') { i++; continue; }
                if (line[i] != quote) continue;
                if (verbatim && i + 1 < line.Length && line[i + 1] == quote) { i++; continue; }
                return i;
            }
            return line.Length - 1;
        }
    }
}
