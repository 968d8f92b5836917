using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using ModelC.Dsl.Syntax;
using Xunit;

namespace ModelC.Tests.Dsl
{
    /// <summary>Whatever the text, the parser answers with a tree and diagnostics: no exception, no crash, no flood.</summary>
    public class MalformedInputTests
    {
        private static readonly string[] KnownCodes = { "MC0001", "MC0002", "MC0003", "MC0004", "MC0005", "MC0006" };

        public static IEnumerable<object[]> TruncatedFashionMlp() =>
            Enumerable.Range(0, ModelSources.FashionMlp.Length / 7 + 1).Select(i => new object[] { i * 7 });

        [Theory]
        [MemberData(nameof(TruncatedFashionMlp))]
        public void TruncatedExampleGivesDiagnosticsOnceTheModelHasStarted(int length)
        {
            string text = ModelSources.FashionMlp.Substring(0, length);

            var result = ParseSafely(text);

            bool modelStarted = text.Contains("model FashionM");
            if (modelStarted)
            {
                Assert.True(result.HasErrors, $"a model cut after {length} characters must be reported");
            }

            if (length == 0)
            {
                Assert.Empty(result.Diagnostics);
            }
        }

        [Fact]
        public void TheWholeExampleHasNoDiagnostics()
        {
            Assert.Empty(ParseSafely(ModelSources.FashionMlp).Diagnostics);
        }

        [Fact]
        public void RandomBytesGiveDiagnostics()
        {
            var random = new Random(20240611);
            for (int i = 0; i < 50; i++)
            {
                var bytes = new byte[random.Next(16, 600)];
                random.NextBytes(bytes);
                // Half as Latin-1 (every byte a character), half as UTF-8 (invalid sequences become U+FFFD).
                string text = i % 2 == 0 ? Encoding.GetEncoding("ISO-8859-1").GetString(bytes) : Encoding.UTF8.GetString(bytes);

                var result = ParseSafely(text);

                Assert.True(result.HasErrors, $"random string {i} gave no diagnostic");
            }
        }

        [Fact]
        public void TwentyThousandNestedParenthesesGiveOneDiagnostic()
        {
            string text = "model M { let v = " + new string('(', 20000) + "x" + new string(')', 20000) + "; }";

            var result = ParseSafely(text);

            Assert.Equal("MC0002", Assert.Single(result.Diagnostics).Code);
        }

        [Theory]
        [InlineData("(", 20000)]
        [InlineData("[", 20000)]
        [InlineData("-", 20000)]
        [InlineData("f(", 20000)]
        [InlineData("-(", 20000)]
        public void DeepUnclosedNestingGivesNestingDiagnostic(string opener, int count)
        {
            string text = "model M { let v = " + string.Concat(Enumerable.Repeat(opener, count));

            var result = ParseSafely(text);

            Assert.Equal("MC0002", Assert.Single(result.Diagnostics).Code);
        }

        [Theory]
        [InlineData(" + a", 20000)]
        [InlineData("(x)", 20000)]
        [InlineData(".w", 20000)]
        [InlineData("[0]", 20000)]
        public void LongPostfixAndOperatorChainsAreCutNotOverflowed(string link, int count)
        {
            string text = "model M { let v = a" + string.Concat(Enumerable.Repeat(link, count)) + "; }";

            var result = ParseSafely(text);

            Assert.Contains(result.Diagnostics, d => d.Code == "MC0002");
            Assert.Single(result.File.Models.Single().Statements);
        }

        [Fact]
        public void DimensionTooLargeForIntGivesOutOfRange()
        {
            var result = ParseSafely("model M { input x : float[2147483648]; }");

            Assert.Equal("MC0003", Assert.Single(result.Diagnostics).Code);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   \n\t\r\n  ")]
        [InlineData("// only a comment")]
        [InlineData("/* a block comment */ // and a line comment\n")]
        public void EmptyAndCommentOnlyFilesAreValid(string text)
        {
            var result = ParseSafely(text);

            Assert.Empty(result.Diagnostics);
        }

        [Fact]
        public void AThreadWithLittleStackGetsADiagnosticInsteadOfAStackOverflow()
        {
            // 200 levels pass the pre-scan; a 160 KiB stack cannot hold them, so the parser's own stack check must answer.
            string text = "model M { let v = " + new string('(', 200) + "x" + new string(')', 200) + "; }";
            ParseResult? result = null;
            Exception? failure = null;
            var thread = new Thread(
                () =>
                {
                    try
                    {
                        result = ModelParser.Parse(text);
                    }
                    catch (Exception exception)
                    {
                        failure = exception;
                    }
                },
                maxStackSize: 160 * 1024);

            thread.Start();
            thread.Join();

            Assert.Null(failure);
            Assert.Equal("MC0002", Assert.Single(result!.Diagnostics).Code);
        }

        /// <summary>Parses and checks what must hold for any input: a tree, known codes, at most the cap, spans inside the text whose line and column match their offset.</summary>
        private static ParseResult ParseSafely(string text)
        {
            var result = ModelParser.Parse(text);

            Assert.NotNull(result.File);
            Assert.True(result.Diagnostics.Count <= SyntaxErrorCodes.MaxDiagnostics);
            foreach (var diagnostic in result.Diagnostics)
            {
                Assert.Contains(diagnostic.Code, KnownCodes);
                Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
                Assert.InRange(diagnostic.Span.Start, 0, text.Length);
                Assert.InRange(diagnostic.Span.End, diagnostic.Span.Start, text.Length);
                Assert.Equal(PositionOf(text, diagnostic.Span.Start), (diagnostic.Span.Line, diagnostic.Span.Column));
            }

            return result;
        }

        private static (int Line, int Column) PositionOf(string text, int offset)
        {
            int lineStart = text.LastIndexOf('\n', Math.Max(offset - 1, 0)) + 1;
            if (offset == 0)
            {
                lineStart = 0;
            }

            int line = 1 + text.Take(lineStart).Count(c => c == '\n');
            return (line, offset - lineStart + 1);
        }
    }
}
