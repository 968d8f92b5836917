using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// Seeded mutations of a .model text, one to three at a time: spans deleted, duplicated or
    /// swapped, tokens and odd characters inserted (C#'s other line ends, NUL, bidi overrides,
    /// surrogates), names swapped for hazardous ones, numbers changed, the text cut short.
    /// A mutation never makes a number larger than 64 that the text did not already hold (beyond
    /// 20 digits, too large for any integer, is fine): a huge size or degree is the case of the
    /// compiler's size limits, tested there, and would only make this run slow.
    /// </summary>
    internal sealed class ModelMutator
    {
        public const int LargestNewNumber = 64;

        private static readonly string[] Tokens =
        {
            "(", ")", "{", "}", "[", "]", "<", ">", ";", ",", ".", ":", "=", "+", "-", "*", "/", "@", "/*", "*/", "//", "\"",
            "#", "'", "\\", "model", "block", "forward", "input", "target", "layer", "param", "let", "output", "loss", "train",
            "return", "namespace", "float", "int", "dense", "relu", "conv2d", "lstm", "softmax", "cross_entropy", "mse", "params",
            "x", "y", "h", "0", "1", "2", "-1", "0.5", "1e-3", "1e-3", "99999999999999999999",
        };

        private static readonly string[] OddCharacters =
        {
            "\0", "\r", "\n", "\t", "\f", "\v", "\u0085", "\u2028", "\u2029", "\u202E", "\u2066", "\uFEFF", "\uFFFF", "\uD800",
            "\uDC00", "\U0001F600", "é", "ß", "\u00A0", "\u3000",
        };

        private static readonly string[] Names =
        {
            "class", "out", "this", "Summary", "Random", "Optimizer", "_gradients", "_activations", "batch_", "CheckLength",
            "XSize", "X", "x_", "xGrad", "a_b", "aB", "__arglist", "record", "field", new string('q', 1024),
        };

        private static readonly Regex Identifier = new Regex("[A-Za-z_][A-Za-z_0-9]*", RegexOptions.CultureInvariant);
        private static readonly Regex Number = new Regex("[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?", RegexOptions.CultureInvariant);
        private static readonly Regex Digits = new Regex("[0-9]+", RegexOptions.CultureInvariant);

        private readonly Random _random;

        public ModelMutator(int seed) { _random = new Random(seed); }

        public string Mutate(string source)
        {
            var known = new HashSet<string>(Digits.Matches(source).Select(m => m.Value));
            for (int attempt = 0; attempt < 20; attempt++)
            {
                string text = source;
                for (int n = _random.Next(1, 4); n > 0; n--) text = MutateOnce(text);
                if (Digits.Matches(text).All(m => known.Contains(m.Value) || m.Value.Length >= 20 || (m.Value.Length <= 3 && int.Parse(m.Value) <= LargestNewNumber)))
                    return text;
            }
            return source.Substring(0, _random.Next(source.Length + 1));
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private string MutateOnce(string text)
        {
            if (text.Length == 0) return Pick(Tokens);
            int at = _random.Next(text.Length);
            int length = Math.Min(text.Length - at, _random.Next(1, 24));
            switch (_random.Next(10))
            {
                case 0: return text.Remove(at, length);
                case 1: return text.Insert(at, text.Substring(at, length));
                case 2: return text.Insert(at, " " + Pick(Tokens) + " ");
                case 3: return text.Insert(at, Pick(OddCharacters));
                case 4: return ReplaceOne(text, Identifier, _ => Pick(Names));
                case 5: return ReplaceOne(text, Identifier, _ => Pick(Identifier.Matches(text).Select(m => m.Value).ToList()));
                case 6: return ReplaceOne(text, Number, _ => Pick(new[] { "0", "1", "2", "3", "7", "16", "64", "-1", "0.0", "1e-30", "1e30", "nan" }));
                case 7: return SwapLines(text);
                case 8: return text.Substring(0, at);
                default: return text.Remove(at, 1).Insert(at, ((char)_random.Next(32, 127)).ToString());
            }
        }

        private string ReplaceOne(string text, Regex pattern, Func<string, string> replacement)
        {
            var matches = pattern.Matches(text);
            if (matches.Count == 0) return text;
            var match = matches[_random.Next(matches.Count)];
            return text.Substring(0, match.Index) + replacement(match.Value) + text.Substring(match.Index + match.Length);
        }

        private string SwapLines(string text)
        {
            var lines = text.Split('\n');
            if (lines.Length < 2) return text;
            int a = _random.Next(lines.Length), b = _random.Next(lines.Length);
            (lines[a], lines[b]) = (lines[b], lines[a]);
            return string.Join("\n", lines);
        }
    }
}
