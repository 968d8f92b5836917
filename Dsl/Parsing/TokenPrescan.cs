using System.Collections.Generic;
using Antlr4.Runtime;
using ModelC.Dsl.Grammar;
using ModelC.Dsl.Syntax;

namespace ModelC.Dsl.Parsing
{
    /// <summary>
    /// Checks the token stream before the parser sees it. ANTLR's recursive-descent parser recurses
    /// once per level of brackets and prefix signs, so input nested deeper than
    /// <see cref="SyntaxErrorCodes.MaxNestingDepth"/> is refused here, before it can exhaust the stack.
    /// </summary>
    internal static class TokenPrescan
    {
        /// <summary>Reports what it finds; false when the tokens must not be given to the parser.</summary>
        public static bool Check(IList<IToken> tokens, SourceText source, DiagnosticBag diagnostics)
        {
            // An unclosed comment swallows the rest of the file; parsing what is left would only
            // report the missing closing braces again in other words.
            if (ReportUnterminatedComments(tokens, source, diagnostics)) return false;
            return CheckNestingDepth(tokens, source, diagnostics);
        }

        private static bool ReportUnterminatedComments(IList<IToken> tokens, SourceText source, DiagnosticBag diagnostics)
        {
            bool found = false;
            foreach (var token in tokens)
            {
                if (token.Type == ModelCLexer.UNTERMINATED_COMMENT)
                {
                    var opening = source.Span(token.StartIndex, token.StartIndex + 2);
                    diagnostics.Report(SyntaxErrorCodes.UnterminatedComment, "unterminated comment: '/*' has no matching '*/'", opening);
                    found = true;
                }
            }
            return found;
        }

        // The depth the parser will reach: one level per open bracket, plus one per prefix sign whose
        // operand has not ended yet (`- - x` nests two levels; in `-a * -b` each sign ends at its operand).
        private static bool CheckNestingDepth(IList<IToken> tokens, SourceText source, DiagnosticBag diagnostics)
        {
            var pendingSignsPerBracket = new Stack<int>();
            int pendingSigns = 0;
            int depth = 0;
            IToken? previous = null;
            foreach (var token in tokens)
            {
                if (token.Channel != TokenConstants.DefaultChannel)
                {
                    continue;
                }

                switch (token.Type)
                {
                    case ModelCParser.LEFT_PAREN:
                    case ModelCParser.LEFT_BRACKET:
                        pendingSignsPerBracket.Push(pendingSigns);
                        pendingSigns = 0;
                        depth++;
                        break;
                    case ModelCParser.RIGHT_PAREN:
                    case ModelCParser.RIGHT_BRACKET:
                        if (pendingSignsPerBracket.Count > 0)
                        {
                            depth -= 1 + pendingSigns;
                            pendingSigns = pendingSignsPerBracket.Pop();
                        }

                        break;
                    case ModelCParser.MINUS:
                    case ModelCParser.PLUS:
                        if (EndsOperand(previous))
                        {
                            depth -= pendingSigns;
                            pendingSigns = 0;
                        }
                        else
                        {
                            pendingSigns++;
                            depth++;
                        }

                        break;
                    case ModelCParser.STAR:
                    case ModelCParser.SLASH:
                    case ModelCParser.AT:
                    case ModelCParser.COMMA:
                        depth -= pendingSigns;
                        pendingSigns = 0;
                        break;
                }

                if (depth > SyntaxErrorCodes.MaxNestingDepth)
                {
                    diagnostics.Report(
                        SyntaxErrorCodes.NestingTooDeep,
                        $"expression nested too deeply: more than {SyntaxErrorCodes.MaxNestingDepth} levels of parentheses, brackets or signs",
                        source.Of(token));
                    return false;
                }

                previous = token;
            }

            return true;
        }

        // After a name, a number or a closing bracket a sign is binary; anywhere else it is a prefix.
        private static bool EndsOperand(IToken? token)
        {
            if (token == null)
            {
                return false;
            }

            switch (token.Type)
            {
                case ModelCParser.IDENTIFIER:
                case ModelCParser.INTEGER:
                case ModelCParser.DECIMAL:
                case ModelCParser.RIGHT_PAREN:
                case ModelCParser.RIGHT_BRACKET:
                    return true;
                default:
                    // Keywords double as names (`x - output`); counting a sign after one as binary
                    // undercounts by one level at most.
                    return GrammarFacts.IsKeywordUsableAsName(token.Type);
            }
        }
    }
}
