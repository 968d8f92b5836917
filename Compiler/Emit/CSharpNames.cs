using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// How any text from a .model file (or its path, or the project) becomes safe C#: an identifier
    /// that is never a keyword and never too long, a string literal, a one-line comment. Which
    /// identifier each model name gets, so that none collides with another, is <see cref="ModelNames"/>.
    /// </summary>
    public static class CSharpNames
    {
        /// <summary>
        /// Every reserved and contextual keyword of C# 14. Escaping a contextual keyword is never
        /// wrong and some are errors as type names (record, required, file, scoped, field), so all
        /// get an '@'. A test checks the list against Roslyn's.
        /// </summary>
        public static readonly IReadOnlyCollection<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
            "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
            "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
            "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
            "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
            "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
            "using", "virtual", "void", "volatile", "while",
            "__arglist", "__makeref", "__reftype", "__refvalue",
            "add", "alias", "allows", "and", "ascending", "args", "assembly", "async", "await", "by", "descending", "dynamic",
            "equals", "extension", "field", "file", "from", "get", "global", "group", "init", "into", "join", "let", "managed",
            "method", "module", "nameof", "nint", "not", "notnull", "nuint", "on", "or", "orderby", "param", "partial",
            "property", "record", "remove", "required", "scoped", "select", "set", "type", "typevar", "unmanaged", "value",
            "var", "when", "where", "with", "yield",
            // proposed for C# 15, known to Roslyn 5.x
            "closed", "safe", "union",
        };

        /// <summary>Roslyn refuses longer identifiers (CS0645).</summary>
        public const int MaxIdentifierLength = 512;

        /// <summary>
        /// A name as a C# identifier: '@' before a keyword (out -> @out); a name too long for C# keeps
        /// its head and ends in a hash of the whole, so two long names stay apart. Characters that
        /// cannot be in an identifier (only a project's RootNamespace can hold them) become '_'.
        /// </summary>
        public static string Identifier(string name)
        {
            string valid = ValidCharacters(name);
            if (valid.Length > MaxIdentifierLength)
                valid = valid.Substring(0, MaxIdentifierLength - 9) + "_" + Hash(name);
            return Keywords.Contains(valid) ? "@" + valid : valid;
        }

        private static string ValidCharacters(string name)
        {
            if (name.Length == 0) return "_";
            var builder = new StringBuilder(name.Length + 1);
            if (!IsIdentifierStart(name[0])) builder.Append('_');
            foreach (char c in name) builder.Append(IsIdentifierPart(c) ? c : '_');
            return builder.ToString();
        }

        // ASCII only: model names are ASCII by the grammar, and a project's odd namespace loses nothing it needs.
        private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || (c >= '0' && c <= '9');

        /// <summary>A stable 32-bit FNV-1a hash of the name, as 8 hex digits.</summary>
        private static string Hash(string name)
        {
            uint hash = 2166136261;
            foreach (char c in name)
            {
                hash = (hash ^ c) * 16777619;
            }
            return hash.ToString("x8", CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// Metadata holds a type's full name in at most 1,023 bytes (CS7013), and a class name is at most
        /// <see cref="MaxIdentifierLength"/>: what is left, less the dot, is the namespace's.
        /// </summary>
        public const int MaxNamespaceLength = 1023 - 1 - MaxIdentifierLength;

        /// <summary>
        /// A dotted namespace with every part an identifier (float.int -> @float.@int); one too long
        /// for metadata keeps its head and ends in a hash of the whole.
        /// </summary>
        public static string Namespace(string name)
        {
            string escaped = string.Join(".", name.Split('.').Select(p => p.Trim()).Where(p => p.Length > 0).Select(Identifier));
            if (escaped.Length <= MaxNamespaceLength) return escaped;
            // A head of an identifier is an identifier, and one ending in "_" and hex digits is no keyword.
            string head = escaped.Substring(0, MaxNamespaceLength - 9).TrimEnd('.', '@');
            return head + "_" + Hash(name);
        }

        /// <summary>logits -> Logits, hidden_state -> HiddenState; never empty, never starting with a digit.</summary>
        public static string Pascal(string name)
        {
            var builder = new StringBuilder();
            foreach (var part in name.Split('_').Where(p => p.Length > 0))
                builder.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
            if (builder.Length == 0) return "Value";
            if (char.IsDigit(builder[0])) builder.Insert(0, 'N');
            return builder.ToString();
        }

        /// <summary>
        /// A C# string literal that holds exactly the text. Everything outside printable ASCII is a
        /// \u escape: C# ends a line at U+0085, U+2028 and U+2029 too, and a line end inside a literal
        /// would not compile (or, worse, would let the rest of the line be code).
        /// </summary>
        public static string Quote(string text)
        {
            var builder = new StringBuilder(text.Length + 2).Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '\\': builder.Append("\\\\"); break;
                    case '"': builder.Append("\\\""); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (c >= ' ' && c <= '~') builder.Append(c);
                        else builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        break;
                }
            }
            return builder.Append('"').ToString();
        }

        /// <summary>
        /// The text as string literals of at most <paramref name="maxLength"/> characters each (at
        /// least one), to be joined with +: a long line of a .model file stays within the line limit.
        /// </summary>
        public static List<string> QuoteInPieces(string text, int maxLength)
        {
            var pieces = new List<string>();
            int start = 0, quotedLength = 2;
            for (int i = 0; i < text.Length; i++)
            {
                int charLength = Quote(text[i].ToString()).Length - 2;
                if (i > start && quotedLength + charLength > maxLength)
                {
                    pieces.Add(Quote(text.Substring(start, i - start)));
                    start = i;
                    quotedLength = 2;
                }
                quotedLength += charLength;
            }
            pieces.Add(Quote(text.Substring(start)));
            return pieces;
        }

        /// <summary>
        /// Text for a // comment: one line, whatever it holds. Every character that could end the
        /// line (CR, LF, U+0085, U+2028, U+2029), any other control or format character (bidi
        /// overrides could make the code read unlike what it is) and lone surrogates become spaces;
        /// runs of spaces become one.
        /// </summary>
        public static string Comment(string text)
        {
            var builder = new StringBuilder(text.Length);
            bool space = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                if (pair || IsPrintable(c))
                {
                    if (space && builder.Length > 0) builder.Append(' ');
                    space = false;
                    builder.Append(c);
                    if (pair) builder.Append(text[++i]);
                }
                else
                {
                    space = true;
                }
            }
            return builder.ToString();
        }

        /// <summary>Text for an XML doc comment: <see cref="Comment"/>, with the XML's special characters escaped.</summary>
        public static string XmlComment(string text) =>
            Comment(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        // A space counts as not printable so that it is collapsed with the rest.
        private static bool IsPrintable(char c)
        {
            if (c > ' ' && c <= '~') return true;
            if (c < 0xA0) return false;
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.SpaceSeparator:
                case UnicodeCategory.Surrogate:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                    return false;
                default:
                    return true;
            }
        }

        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
