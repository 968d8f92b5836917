using System;
using System.Linq;
using ModelC.Dsl.Syntax;
using Xunit;

namespace ModelC.Tests.Dsl
{
    public class SyntaxDiagnosticTests
    {
        [Theory]
        [InlineData("model M {\n    let h = relu(x)\n    layer fc = dense(3);\n}", 2, 20, "expected ';' after the statement")]
        [InlineData("model M {\n    let h = relu(x;\n}", 2, 19, "expected ')' before ';'")]
        [InlineData("model M {\n    layer fc1 dense(3);\n}", 2, 14, "expected '=' before 'dense'")]
        [InlineData("model M {\n    let x = 1;\n}\n}", 4, 1, "unexpected '}'; expected 'model', 'block' or end of file")]
        [InlineData("model M {\n    let x = ;\n}", 2, 13, "unexpected ';'; expected an expression")]
        [InlineData("model M {\n    let y = 2 # 3;\n}", 2, 15, "unexpected character '#'")]
        [InlineData("model M {\n    let y = 2 \u0001 3;\n}", 2, 15, "unexpected character U+0001")]
        [InlineData("model M {\n    input x : ;\n}", 2, 15, "unexpected ';'; expected 'float' or 'int'")]
        [InlineData("model M {\n    let a = b c;\n}", 2, 15, "unexpected 'c'; expected ';'")]
        [InlineData("model M {\n    input x : float[3.5];\n}", 2, 21, "unexpected '3.5'; expected a whole number")]
        [InlineData("block B(c) {\n    layer l = dense(c);\n}", 3, 1, "unexpected '}'; expected 'forward', 'layer' or 'param'")]
        [InlineData("model {\n}", 1, 6, "expected a name before '{'")]
        [InlineData(
            "model M {\n    lett x = 1;\n}", 2, 5,
            "unexpected 'lett'; expected a statement ('input', 'target', 'layer', 'param', 'let', 'output', 'loss', 'train') or '}'")]
        [InlineData(
            "model M {\n    let x = 1;",
            2, 15,
            "unexpected end of file; expected a statement ('input', 'target', 'layer', 'param', 'let', 'output', 'loss', 'train') or '}'")]
        public void SyntaxErrorsSayWhatWasExpectedWhereItWasExpected(string text, int line, int column, string message)
        {
            var diagnostic = ParseAssert.SingleDiagnostic(text);

            Assert.Equal(SyntaxErrorCodes.SyntaxError, diagnostic.Code);
            Assert.Equal("MC0001", diagnostic.Code);
            Assert.Equal(message, diagnostic.Message);
            Assert.Equal((line, column), (diagnostic.Span.Line, diagnostic.Span.Column));
        }

        [Fact]
        public void StatementsAfterASyntaxErrorAreStillBuilt()
        {
            var result = ModelParser.Parse("model M {\n    lett x = 1;\n    let h = relu(x)\n    output o = h;\n}");

            Assert.Equal(2, result.Diagnostics.Count);
            Assert.Equal(new[] { "h", "o" }, result.File.Models.Single().Statements.Select(NameOf));
        }

        [Fact]
        public void MissingExpressionBecomesAnErrorNodeInsideTheStatement()
        {
            var result = ModelParser.Parse("model M {\n    let x = ;\n    loss = 1 + ;\n}");

            var statements = result.File.Models.Single().Statements;
            Assert.IsType<ErrorExpressionSyntax>(((LetSyntax)statements[0]).Value);
            Assert.Equal("(+ 1 <error>)", SyntaxPrinter.Print(((LossSyntax)statements[1]).Value));
            Assert.Equal(2, result.Diagnostics.Count);
        }

        [Fact]
        public void AMissingTypeBecomesAnErrorType()
        {
            var result = ModelParser.Parse("model M { input x : ; }");

            var input = (InputSyntax)result.File.Models.Single().Statements.Single();
            Assert.Equal("x", input.Name);
            Assert.IsType<ErrorTypeSyntax>(input.Type);
        }

        [Fact]
        public void OneStatementWithManyMistakesGivesOneDiagnostic()
        {
            var result = ModelParser.Parse("model M {\n    let x = ) ) + * ) ;\n}");

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal((2, 13), (diagnostic.Span.Line, diagnostic.Span.Column));
        }

        [Fact]
        public void DiagnosticsStopAtTheCap()
        {
            string text = "model M {\n" + string.Concat(Enumerable.Repeat("    let = 1;\n", 40)) + "}";

            var result = ModelParser.Parse(text);

            Assert.Equal(SyntaxErrorCodes.MaxDiagnostics, result.Diagnostics.Count);
            Assert.Equal(20, result.Diagnostics.Count);
            Assert.Equal(Enumerable.Range(2, 20), result.Diagnostics.Select(d => d.Span.Line));
        }

        [Fact]
        public void NestingPastTheLimitIsReportedOnceWhereItCrossesTheLimit()
        {
            string prefix = "model M { let v = ";
            string text = prefix + new string('(', 300) + "x" + new string(')', 300) + "; }";

            var diagnostic = ParseAssert.SingleDiagnostic(text);

            Assert.Equal("MC0002", diagnostic.Code);
            Assert.Equal(SyntaxErrorCodes.NestingTooDeep, diagnostic.Code);
            Assert.Equal((1, prefix.Length + 201), (diagnostic.Span.Line, diagnostic.Span.Column));
            Assert.Contains("nested too deeply", diagnostic.Message);
        }

        [Fact]
        public void PrefixSignsCountAsNesting()
        {
            string prefix = "model M {\n  let v = ";

            var diagnostic = ParseAssert.SingleDiagnostic(prefix + new string('-', 250) + "x; }");

            Assert.Equal("MC0002", diagnostic.Code);
            Assert.Equal((2, 11 + 200), (diagnostic.Span.Line, diagnostic.Span.Column));
        }

        [Fact]
        public void NestingExactlyAtTheLimitParses()
        {
            int limit = SyntaxErrorCodes.MaxNestingDepth;
            Assert.Equal("(neg (neg x))", ParseAssert.Expression("- -x"));

            var parenthesized = ParseAssert.Expression(new string('(', limit) + "x" + new string(')', limit));
            var calls = ParseAssert.Expression(string.Concat(Enumerable.Repeat("f(", limit)) + "x" + new string(')', limit));

            Assert.Equal("x", parenthesized);
            Assert.StartsWith("(call f (call f ", calls);
        }

        [Fact]
        public void LongOperatorChainIsCutAtTheLimitByTheTreeBuilder()
        {
            string prefix = "model M {\n    loss = ";
            string chain = string.Join(" + ", Enumerable.Repeat("a", 300));

            var result = ModelParser.Parse(prefix + chain + ";\n}");

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("MC0002", diagnostic.Code);
            // Chains associate to the left, so the limit is crossed at the innermost sum, which starts at the first term.
            Assert.Equal((2, 12), (diagnostic.Span.Line, diagnostic.Span.Column));
            var loss = (LossSyntax)result.File.Models.Single().Statements.Single();
            // The sums at depths 0..200 are kept; the one at depth 201 becomes the error node.
            Assert.Equal(SyntaxErrorCodes.MaxNestingDepth + 1, LeftDepth(loss.Value));
        }

        [Theory]
        [InlineData("model M {\n    input x : float[2147483648];\n}", 2, 21, "2147483648", 2147483648L, "dimension 2147483648 is out of range: a dimension must be between 1 and 2147483647")]
        [InlineData("model M {\n    input x : float[0];\n}", 2, 21, "0", 0L, "dimension 0 is out of range: a dimension must be between 1 and 2147483647")]
        [InlineData("model M {\n    input x : float[-3];\n}", 2, 21, "-3", -3L, "dimension -3 is out of range: a dimension must be between 1 and 2147483647")]
        [InlineData("model M {\n    input x : float[99999999999999999999];\n}", 2, 21, "99999999999999999999", null, "dimension 99999999999999999999 is out of range: a dimension must be between 1 and 2147483647")]
        [InlineData("model M {\n    target y : int<0>;\n}", 2, 20, "0", 0L, "class count 0 is out of range: int<N> needs N between 1 and 2147483647")]
        public void DimensionsOutsideIntRangeAreReportedAtTheLiteral(string text, int line, int column, string written, long? value, string message)
        {
            var result = ModelParser.Parse(text);

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("MC0003", diagnostic.Code);
            Assert.Equal(message, diagnostic.Message);
            Assert.Equal((line, column, written.Length), (diagnostic.Span.Line, diagnostic.Span.Column, diagnostic.Span.Length));
            var statement = result.File.Models.Single().Statements.Single();
            var dimension = statement is InputSyntax input
                ? ((FloatTypeSyntax)input.Type).Dimensions.Single()
                : ((IntTypeSyntax)((TargetSyntax)statement).Type).Classes;
            Assert.Equal(written, dimension.Text);
            Assert.Equal(value, dimension.Value);
        }

        [Fact]
        public void NumberTooLargeForFloatIsOutOfRange()
        {
            var diagnostic = ParseAssert.SingleDiagnostic("model M {\n    let q = 2 * 1e39;\n}");

            Assert.Equal("MC0003", diagnostic.Code);
            Assert.Equal("number 1e39 is out of range: it does not fit a 32-bit float", diagnostic.Message);
            Assert.Equal((2, 17), (diagnostic.Span.Line, diagnostic.Span.Column));
        }

        [Fact]
        public void UnterminatedCommentIsReportedAtItsOpening()
        {
            var diagnostic = ParseAssert.SingleDiagnostic("model M { }\n  /* never closed\nmodel N { }");

            Assert.Equal("MC0004", diagnostic.Code);
            Assert.Equal("unterminated comment: '/*' has no matching '*/'", diagnostic.Message);
            Assert.Equal((2, 3, 2), (diagnostic.Span.Line, diagnostic.Span.Column, diagnostic.Span.Length));
        }

        [Fact]
        public void PositionalArgumentAfterNamedIsReportedAtTheArgument()
        {
            var diagnostic = ParseAssert.SingleDiagnostic("model M { let z = f(a: 1, 2); }");

            Assert.Equal("MC0005", diagnostic.Code);
            Assert.Equal((1, 27), (diagnostic.Span.Line, diagnostic.Span.Column));
        }

        [Fact]
        public void CallingSomethingOtherThanANameIsReportedAtTheCallee()
        {
            var diagnostic = ParseAssert.SingleDiagnostic("model M {\n    let w = f(x)(y);\n}");

            Assert.Equal("MC0006", diagnostic.Code);
            Assert.Equal((2, 13, 4), (diagnostic.Span.Line, diagnostic.Span.Column, diagnostic.Span.Length));
        }

        [Fact]
        public void CancelledParseThrowsOperationCanceled()
        {
            using var cancellation = new System.Threading.CancellationTokenSource();
            cancellation.Cancel();

            Assert.ThrowsAny<OperationCanceledException>(() => ModelParser.Parse(ModelSources.FashionMlp, cancellation.Token));
        }

        private static string NameOf(StatementSyntax statement) => statement switch
        {
            LetSyntax let => let.Name,
            OutputSyntax output => output.Name,
            _ => statement.GetType().Name,
        };

        private static int LeftDepth(ExpressionSyntax expression)
        {
            int depth = 0;
            while (expression is BinarySyntax binary)
            {
                expression = binary.Left;
                depth++;
            }

            Assert.IsType<ErrorExpressionSyntax>(expression);
            return depth;
        }
    }
}
