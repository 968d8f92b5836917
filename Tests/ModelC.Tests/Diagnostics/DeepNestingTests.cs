using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using ModelC.Cli;
using ModelC.Compiler.Binding;
using ModelC.Compiler.Diagnostics;
using ModelC.Tests.Generators;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// Blocks nested far past any real network: block B1 instantiates B0 in a layer, B2 instantiates
    /// B1, and so on. Instantiation recurses once per level, so the chain is refused at the level
    /// that crosses <see cref="Binder.MaxBlockDepth"/>, with one located MC0002, whether the compiler
    /// runs on a 1 MB thread, in the generator or in <c>modelc check</c>.
    /// </summary>
    public class DeepNestingTests
    {
        /// <summary>Line k + 1 declares block Bk; the model on the last line uses B(levels - 1).</summary>
        public static string NestedBlocks(int levels, Func<int, string>? argument = null)
        {
            argument ??= _ => "n";
            var text = new StringBuilder("block B0(n) { layer d = dense(n); forward(x) { return d(x); } }\n");
            for (int i = 1; i < levels; i++)
                text.Append($"block B{i}(n) {{ layer b = B{i - 1}({argument(i)}); forward(x) {{ return b(x); }} }}\n");
            text.Append($"model M {{ input x : float[4]; layer top = B{levels - 1}(3); output o = top(x); }}\n");
            return text.ToString();
        }

        /// <summary>Where instance MaxBlockDepth + 1 is created: the layer statement of the block MaxBlockDepth levels below the model's.</summary>
        private static (int Line, int Column) CrossingPoint(string text, int levels)
        {
            int block = levels - Binder.MaxBlockDepth;
            string call = $"B{block - 1}(";
            int line = block + 1;
            string lineText = text.Split('\n')[line - 1];
            return (line, lineText.IndexOf(call, StringComparison.Ordinal) + 1);
        }

        [Theory]
        [InlineData(1_500)]
        [InlineData(10_000)]
        [InlineData(20_000)]
        public void BlocksNestedPastTheLimitAreRefusedWhereTheLimitIsCrossedOnAOneMegabyteThread(int levels)
        {
            string text = NestedBlocks(levels);

            var result = SmallStack.Run(() => CorpusAssert.CompilesWithSoundDiagnostics(text));

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticCatalog.NestingTooDeep, diagnostic.Code);
            Assert.Equal(CrossingPoint(text, levels), (diagnostic.Span.Line, diagnostic.Span.Column));
            Assert.Contains($"blocks nest at most {Binder.MaxBlockDepth} deep", diagnostic.Message);
            Assert.True(diagnostic.Message.Length < 1_000, $"{diagnostic.Message.Length} characters");
            Assert.Empty(result.Files);
        }

        [Fact]
        public void BlocksNestedToTheLimitCompileOnAOneMegabyteThread()
        {
            var atLimit = SmallStack.Run(() => CorpusAssert.CompilesWithSoundDiagnostics(NestedBlocks(Binder.MaxBlockDepth)));
            var pastLimit = SmallStack.Run(() => CorpusAssert.CompilesWithSoundDiagnostics(NestedBlocks(Binder.MaxBlockDepth + 1)));

            Assert.Empty(atLimit.Diagnostics);
            Assert.Single(atLimit.Files);
            Assert.Equal(DiagnosticCatalog.NestingTooDeep, Assert.Single(pastLimit.Diagnostics).Code);
        }

        [Fact]
        public void ArgumentsThatGrowAtEveryLevelAreRefusedAtALineOnAOneMegabyteThread()
        {
            // Each level wraps its parameter in 99 sums, and the arguments are substituted into one
            // another: the innermost dense(n) sees an expression 6,000 levels deep.
            string text = NestedBlocks(Binder.MaxBlockDepth, _ => string.Concat(Enumerable.Repeat("(0 + ", 99)) + "n" + new string(')', 99));

            var result = SmallStack.Run(() => CorpusAssert.CompilesWithSoundDiagnostics(text));

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticCatalog.NestingTooDeep, diagnostic.Code);
            Assert.InRange(diagnostic.Span.Line, 1, Binder.MaxBlockDepth + 1);
            Assert.Empty(result.Files);
        }

        [Fact]
        public void TheGeneratorReportsTheNestingOnAOneMegabyteThread()
        {
            string text = NestedBlocks(10_000);
            var model = GeneratorHarness.Model("nested.model", text);

            var result = SmallStack.Run(() => (object)GeneratorHarness.Run(model));

            var run = (GeneratorRunResult)result;
            Assert.Null(run.Exception);
            Assert.All(run.GeneratedSources, source => Assert.Contains("has errors and was not compiled", source.SourceText.ToString()));
            var error = Assert.Single(run.Diagnostics);
            Assert.Equal(DiagnosticCatalog.NestingTooDeep, error.Id);
            var span = error.Location.GetLineSpan();
            Assert.Equal(model.Path, span.Path);
            var (line, column) = CrossingPoint(text, 10_000);
            Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(line - 1, column - 1), span.StartLinePosition);
        }

        [Fact]
        public void ModelcCheckReportsTheNestingInTheCanonicalForm()
        {
            using var folder = new ModelC.Tests.Cli.TempDirectory();
            string text = NestedBlocks(20_000);
            string file = folder.Write("nested.model", text);
            var output = new StringWriter();

            int exitCode = CheckCommand.Run(new[] { file }, output, new StringWriter());

            Assert.Equal(ExitCodes.CompileErrors, exitCode);
            var (line, column) = CrossingPoint(text, 20_000);
            Assert.StartsWith($"{file}({line},{column}): error MC0002: blocks nested too deeply", output.ToString());
        }
    }
}
