using Antlr4.Runtime;
using Antlr4.Runtime.Atn;
using Antlr4.Runtime.Misc;
using ModelC.Dsl.Grammar;

namespace ModelC.Dsl.Parsing
{
    /// <summary>
    /// ANTLR's error recovery, with its messages ("mismatched input ';' expecting {...}") rewritten
    /// into plain English and sent to the <see cref="DiagnosticBag"/> with the statement they are in.
    /// </summary>
    internal sealed class SyntaxErrorStrategy : DefaultErrorStrategy
    {
        private readonly SourceText source;
        private readonly DiagnosticBag diagnostics;

        public SyntaxErrorStrategy(SourceText source, DiagnosticBag diagnostics)
        {
            this.source = source;
            this.diagnostics = diagnostics;
        }

        /// <summary>
        /// ANTLR gives up on the whole enclosing rule when a loop cannot even be entered, so a typo
        /// in a model's first statement would discard the model. Here a failed loop entry recovers as
        /// a failed iteration does: skip to the next token that can start an item or follow the loop.
        /// </summary>
        public override void Sync(Parser recognizer)
        {
            var state = recognizer.Interpreter.atn.states[recognizer.State];
            if (InErrorRecoveryMode(recognizer) || state.StateType != StateType.StarLoopEntry)
            {
                base.Sync(recognizer);
                return;
            }

            var next = recognizer.Atn.NextTokens(state);
            if (next.Contains(((ITokenStream)recognizer.InputStream).LA(1)) || next.Contains(TokenConstants.EPSILON))
            {
                base.Sync(recognizer);
                return;
            }

            if (SingleTokenDeletion(recognizer) != null)
            {
                return;
            }

            ReportUnwantedToken(recognizer);
            ConsumeUntil(recognizer, recognizer.GetExpectedTokens().Or(GetErrorRecoverySet(recognizer)));
        }

        /// <summary>
        /// ANTLR may drop one token to make the next fit, but dropping a statement's ';' or '}' joins
        /// it to the next statement (`let x = ;` followed by `loss = ...` would read `x = loss`), so
        /// those are never dropped.
        /// </summary>
        protected override IToken SingleTokenDeletion(Parser recognizer)
        {
            int current = ((ITokenStream)recognizer.InputStream).LA(1);
            if (current == ModelCParser.SEMICOLON || current == ModelCParser.RIGHT_BRACE)
            {
                return null!;
            }

            return base.SingleTokenDeletion(recognizer);
        }

        protected override void ReportNoViableAlternative(Parser recognizer, NoViableAltException e)
        {
            // When the decision failed past its first token, the expected set of the first token does not apply.
            var expected = e.OffendingToken == e.StartToken ? recognizer.GetExpectedTokens() : null;
            ReportUnexpected(recognizer, e.OffendingToken, expected);
        }

        protected override void ReportInputMismatch(Parser recognizer, InputMismatchException e) =>
            ReportUnexpected(recognizer, e.OffendingToken, e.GetExpectedTokens());

        protected override void ReportFailedPredicate(Parser recognizer, FailedPredicateException e) =>
            ReportUnexpected(recognizer, e.OffendingToken, null);

        protected override void ReportUnwantedToken(Parser recognizer)
        {
            if (InErrorRecoveryMode(recognizer))
            {
                return;
            }

            BeginErrorCondition(recognizer);
            ReportUnexpected(recognizer, recognizer.CurrentToken, GetExpectedTokens(recognizer));
        }

        protected override void ReportMissingToken(Parser recognizer)
        {
            if (InErrorRecoveryMode(recognizer))
            {
                return;
            }

            BeginErrorCondition(recognizer);
            var current = recognizer.CurrentToken;
            if (current.Type == ModelCLexer.UNEXPECTED_CHARACTER)
            {
                ReportUnexpected(recognizer, current, null);
                return;
            }

            var expected = GetExpectedTokens(recognizer);
            string message = TokenDescriptions.IsOnly(expected, ModelCParser.SEMICOLON)
                ? "expected ';' after the statement"
                : $"expected {TokenDescriptions.DescribeExpected(expected)} before {TokenDescriptions.Describe(current)}";

            // The missing token belongs right after the previous one, which is where an editor should point.
            var previous = ((ITokenStream)recognizer.InputStream).LT(-1);
            var span = previous != null ? source.EndOf(previous) : source.At(source.Of(current).Start);
            diagnostics.ReportSyntaxError(message, span, EnclosingStatement(recognizer.Context));
        }

        private void ReportUnexpected(Parser recognizer, IToken token, IntervalSet? expected)
        {
            string message = "unexpected " + TokenDescriptions.Describe(token);
            if (token.Type != ModelCLexer.UNEXPECTED_CHARACTER && expected != null)
            {
                string wanted = TokenDescriptions.DescribeExpected(expected);
                if (wanted.Length > 0)
                {
                    message += "; expected " + wanted;
                }
            }

            diagnostics.ReportSyntaxError(message, source.Of(token), EnclosingStatement(recognizer.Context));
        }

        /// <summary>The statement being parsed, so that errors cascading inside it are reported once.</summary>
        private static object? EnclosingStatement(RuleContext? context)
        {
            for (var current = context; current != null; current = current.Parent)
            {
                switch (current)
                {
                    case ModelCParser.ModelStatementContext:
                    case ModelCParser.BlockStatementContext:
                    case ModelCParser.ForwardStatementContext:
                    case ModelCParser.TrainSettingContext:
                    case ModelCParser.NamespaceDeclarationContext:
                        return current;
                    case ModelCParser.ModelDeclarationContext:
                    case ModelCParser.BlockDeclarationContext:
                        return null;
                }
            }

            return null;
        }
    }
}
