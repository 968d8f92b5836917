using System.Globalization;
using System.Linq;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>How a diagnostic reads: the canonical file(line,col) form, a title per code, invariant numbers.</summary>
    public class DiagnosticFormatTests
    {
        [Fact]
        public void AnErrorPrintsInTheFormMsBuildUnderstands()
        {
            var text = "model M {\n    input x : float[4]; let h2 = relu(x); output o = h2 +\n    h3;\n}";

            var diagnostic = Assert.Single(ModelCompiler.Compile("file.model", text).Diagnostics);

            Assert.Equal("file.model(3,5): error MC1001: unknown name 'h3'; did you mean 'h2'?", diagnostic.ToString());
        }

        [Fact]
        public void AWarningPrintsAsAWarning()
        {
            var text = "model M {\n    input x : float[4];\n    layer spare = dense(3);\n    output o = x * 2;\n}";

            var diagnostic = Assert.Single(ModelCompiler.Compile("dir/file.model", text).Diagnostics);

            Assert.Equal("dir/file.model(3,11): warning MC1021: layer 'spare' is never called, so it has no parameters", diagnostic.ToString());
        }

        [Fact]
        public void EveryCodeOfTheDslHasATitle()
        {
            var untitled = KnownCodes.InSyntaxErrorCodes.Where(code => !DiagnosticCatalog.Titles.ContainsKey(code));

            Assert.Empty(untitled);
        }

        [Fact]
        public void EveryCodeOfTheCompilerHasATitle()
        {
            var untitled = KnownCodes.InDiagnosticCatalog.Where(code => !DiagnosticCatalog.Titles.ContainsKey(code));

            Assert.Empty(untitled);
        }

        [Fact]
        public void NumbersInMessagesDoNotDependOnTheMachinesCulture()
        {
            var text = "model M {\n    input x : float[4];\n    output o = dropout(x, 1.5);\n}";
            var original = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

                var diagnostic = Assert.Single(ModelCompiler.Compile("case.model", text).Diagnostics);

                Assert.EndsWith("but got 1.5", diagnostic.Message);
            }
            finally
            {
                CultureInfo.CurrentCulture = original;
            }
        }

        [Fact]
        public void AFractionalAxisIsReportedAsNotWhole()
        {
            var text = "model M {\n    input x : float[4];\n    output o = mean(x, axis: 0.5);\n}";

            var diagnostic = Assert.Single(ModelCompiler.Compile("case.model", text).Diagnostics);

            Assert.Equal(DiagnosticCatalog.InvalidAxis, diagnostic.Code);
            Assert.Contains("whole number", diagnostic.Message);
        }
    }
}
