using System.Collections.Generic;
using System.Linq;
using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using ModelC.Dsl.Grammar;

namespace ModelC.Dsl.Parsing
{
    /// <summary>Words for tokens and sets of expected tokens, for messages a person reads.</summary>
    internal static class TokenDescriptions
    {
        private const int MaxQuotedLength = 32;

        private static readonly int[] ModelStatementKeywords =
        {
            ModelCParser.INPUT, ModelCParser.TARGET, ModelCParser.LAYER, ModelCParser.PARAM,
            ModelCParser.LET, ModelCParser.OUTPUT, ModelCParser.LOSS, ModelCParser.TRAIN,
        };

        /// <summary><c>'}'</c>, <c>character '#'</c>, <c>end of file</c>.</summary>
        public static string Describe(IToken token)
        {
            if (token.Type == TokenConstants.EOF)
            {
                return "end of file";
            }

            if (token.Type == ModelCLexer.UNEXPECTED_CHARACTER)
            {
                return "character " + QuoteCharacter(token.Text);
            }

            return Quote(token.Text);
        }

        /// <summary><c>an expression</c>, <c>a name</c>, <c>';'</c>, <c>',' or ')'</c>; empty when nothing is known.</summary>
        public static string DescribeExpected(IntervalSet expected)
        {
            var remaining = new List<int>(expected.ToList());
            var phrases = new List<string>();
            if (ContainsAll(remaining, ModelCParser.IDENTIFIER, ModelCParser.INTEGER, ModelCParser.LEFT_PAREN))
            {
                phrases.Add("an expression");
                remaining.RemoveAll(GrammarFacts.CanStartExpression);
            }
            else if (remaining.Contains(ModelCParser.IDENTIFIER))
            {
                phrases.Add("a name");
                remaining.RemoveAll(GrammarFacts.CanStartName);
            }
            else if (remaining.Contains(ModelCParser.INTEGER))
            {
                // Where only an integer fits (a dimension), the sign the grammar tolerates is not worth a mention.
                phrases.Add("a whole number");
                remaining.RemoveAll(type => type == ModelCParser.INTEGER || type == ModelCParser.MINUS);
            }

            if (ModelStatementKeywords.All(remaining.Contains))
            {
                phrases.Add("a statement (" + string.Join(", ", ModelStatementKeywords.Select(DescribeTokenType)) + ")");
                remaining.RemoveAll(ModelStatementKeywords.Contains);
            }

            bool endOfFile = remaining.Remove(TokenConstants.EOF);
            phrases.AddRange(remaining.Select(DescribeTokenType));
            if (endOfFile)
            {
                phrases.Add("end of file");
            }

            return JoinWithOr(phrases);
        }

        public static bool IsOnly(IntervalSet expected, int tokenType) =>
            expected.Count == 1 && expected.Contains(tokenType);

        private static string DescribeTokenType(int type)
        {
            string? literal = ModelCParser.DefaultVocabulary.GetLiteralName(type);
            return literal ?? ModelCParser.DefaultVocabulary.GetDisplayName(type).ToLowerInvariant();
        }

        private static string Quote(string text)
        {
            string shown = text.Length > MaxQuotedLength ? text.Substring(0, MaxQuotedLength) + "..." : text;
            return "'" + shown + "'";
        }

        // Control and other invisible characters are named by code point: quoting them would print nothing readable.
        private static string QuoteCharacter(string text)
        {
            char character = text.Length > 0 ? text[0] : '\0';
            bool visible = !char.IsControl(character) && !char.IsWhiteSpace(character) && !char.IsSurrogate(character);
            return visible ? "'" + text + "'" : $"U+{(int)character:X4}";
        }

        private static bool ContainsAll(List<int> types, params int[] wanted) => wanted.All(types.Contains);

        private static string JoinWithOr(List<string> phrases)
        {
            if (phrases.Count <= 1)
            {
                return phrases.Count == 0 ? string.Empty : phrases[0];
            }

            return string.Join(", ", phrases.Take(phrases.Count - 1)) + " or " + phrases[phrases.Count - 1];
        }
    }
}
