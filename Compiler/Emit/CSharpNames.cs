using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelC.Compiler.Emit
{
    /// <summary>How model names become C# names.</summary>
    public static class CSharpNames
    {
        private static readonly HashSet<string> Keywords = new HashSet<string>
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
            "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
            "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
            "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
            "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
            "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
            "using", "virtual", "void", "volatile", "while",
        };

        /// <summary>A local or parameter name: the model's own name, escaped when it is a C# keyword (out -> @out).</summary>
        public static string Identifier(string name) => Keywords.Contains(name) ? "@" + name : name;

        /// <summary>logits -> Logits, hidden_state -> HiddenState.</summary>
        public static string Pascal(string name)
        {
            var builder = new StringBuilder();
            foreach (var part in name.Split('_').Where(p => p.Length > 0))
                builder.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
            return builder.Length == 0 ? "Value" : builder.ToString();
        }

        /// <summary>A C# string literal.</summary>
        public static string Quote(string text) =>
            "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";

        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
