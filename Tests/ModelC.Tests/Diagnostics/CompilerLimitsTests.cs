using System;
using System.Linq;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>Input at and past the compiler's limits: refused with one clear diagnostic, or compiled in reasonable time.</summary>
    public class CompilerLimitsTests
    {
        private const string Head = "model M {\n    input x : float[4];\n    output o = ";
        private const string Tail = ";\n}\n";

        [Fact]
        public void TwentyThousandNestedParenthesesAreRefusedWhereTheLimitIsCrossed()
        {
            var text = Head + new string('(', 20_000) + "x" + new string(')', 20_000) + Tail;

            var result = CorpusAssert.CompilesWithSoundDiagnostics(text);

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticCatalog.NestingTooDeep, diagnostic.Code);
            // The 201st parenthesis is the first level too many.
            Assert.Equal(TextPosition.Of(text, Head.Length + 200), (diagnostic.Span.Line, diagnostic.Span.Column));
            Assert.Empty(result.Files);
        }

        [Theory]
        [InlineData("input d : float[2147483648];", "2147483648", "dimension 2147483648 is out of range")]
        [InlineData("input d : float[4, 99999999999999999999];", "99999999999999999999", "dimension 99999999999999999999 is out of range")]
        [InlineData("target d : int<0>;", "0", "class count 0 is out of range")]
        [InlineData("let d = x * 1e400;", "1e400", "number 1e400 is out of range: it does not fit a 32-bit float")]
        public void NumbersOutOfRangeAreRefusedWhereWritten(string statement, string number, string phrase)
        {
            var text = "model M {\n    input x : float[4];\n    " + statement + "\n    output o = x;\n}\n";

            var result = CorpusAssert.CompilesWithSoundDiagnostics(text);

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticCatalog.NumberOutOfRange, diagnostic.Code);
            Assert.Equal(TextPosition.Of(text, text.IndexOf(number, text.IndexOf(statement, StringComparison.Ordinal), StringComparison.Ordinal)),
                (diagnostic.Span.Line, diagnostic.Span.Column));
            Assert.Contains(phrase, diagnostic.Message);
            Assert.Empty(result.Files);
        }

        [Fact]
        public void ATensorOfMoreElementsThanAnArrayHoldsIsRefused()
        {
            var text = "model M {\n    input x : float[65536, 65536];\n    output o = x;\n}\n";

            var result = CorpusAssert.CompilesWithSoundDiagnostics(text);

            var first = result.Diagnostics.First();
            Assert.Equal(DiagnosticCatalog.TooLarge, first.Code);
            Assert.Equal((2, 21), (first.Span.Line, first.Span.Column));
            Assert.Contains("a tensor of shape [65536, 65536] has 4294967296 elements, more than the 2147483591 one .NET array holds", first.Message);
            Assert.Empty(result.Files);
        }

        [Theory]
        [InlineData("parentheses", 150)]
        [InlineData("calls", 150)]
        [InlineData("signs", 150)]
        [InlineData("right-nested sums", 150)]
        [InlineData("left-deep sums", 150)]
        [InlineData("parentheses", 200)]
        [InlineData("calls", 200)]
        [InlineData("signs", 200)]
        [InlineData("right-nested sums", 200)]
        [InlineData("left-deep sums", 200)]
        public void DeepButLegalNestingCompilesOnAOneMegabyteThread(string shape, int depth)
        {
            var expression = shape switch
            {
                "parentheses" => new string('(', depth) + "x" + new string(')', depth),
                "calls" => string.Concat(Enumerable.Repeat("relu(", depth)) + "x" + new string(')', depth),
                "signs" => new string('-', depth) + "x",
                "right-nested sums" => string.Concat(Enumerable.Repeat("(x + ", depth / 2)) + "x" + new string(')', depth / 2),
                _ => string.Join(" + ", Enumerable.Repeat("x", depth)),
            };
            var text = Head + expression + Tail;

            var result = SmallStack.Run(() => CorpusAssert.CompilesWithSoundDiagnostics(text));

            Assert.Empty(result.Diagnostics);
            Assert.Single(result.Files);
        }

        [Fact]
        public void OneSignTooManyIsRefused()
        {
            var text = Head + new string('-', 201) + "x" + Tail;

            var diagnostic = Assert.Single(CorpusAssert.CompilesWithSoundDiagnostics(text).Diagnostics);

            Assert.Equal(DiagnosticCatalog.NestingTooDeep, diagnostic.Code);
            Assert.Equal(TextPosition.Of(text, Head.Length + 200), (diagnostic.Span.Line, diagnostic.Span.Column));
        }
    }
}
