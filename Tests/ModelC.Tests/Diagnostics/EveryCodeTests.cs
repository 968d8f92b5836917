using System.Linq;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>Each diagnostic code, triggered alone, at the place it names, in words a user understands.</summary>
    public class EveryCodeTests
    {
        [Theory]
        [MemberData(nameof(EveryCodeCases.All), MemberType = typeof(EveryCodeCases))]
        public void OneMistakeGivesItsCodeAtItsPlace(string code, DiagnosticSeverity severity, string phrase, string markedModel)
        {
            var source = MarkedSource.Parse(markedModel);

            var result = ModelCompiler.Compile("case.model", source.Text);

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(code, diagnostic.Code);
            Assert.Equal(severity, diagnostic.Severity);
            Assert.Equal((source.Line, source.Column), (diagnostic.Span.Line, diagnostic.Span.Column));
            Assert.Contains(phrase, diagnostic.Message);
            Assert.Equal("case.model", diagnostic.FilePath);
            if (severity == DiagnosticSeverity.Error) Assert.Empty(result.Files);
            else Assert.NotEmpty(result.Files);
        }

        [Fact]
        public void EveryCodeAModelCanTriggerHasACase()
        {
            var covered = EveryCodeCases.All.Select(row => (string)row[0]).ToHashSet();

            var missing = KnownCodes.All.Except(KnownCodes.NotFromModelText).Where(code => !covered.Contains(code));

            Assert.Empty(missing);
        }

        [Fact]
        public void CasesUseOnlyCodesOfTheCatalogs()
        {
            var unknown = EveryCodeCases.All.Select(row => (string)row[0]).Where(code => !KnownCodes.All.Contains(code));

            Assert.Empty(unknown);
        }

        [Fact]
        public void UseOfALetBeforeItsDefinitionIsReportedAsSuch()
        {
            var source = MarkedSource.Parse("""
                model M {
                    input x : float[4];
                    output o = ⟨⟩h;
                    let h = relu(x);
                }
                """);

            var diagnostic = Assert.Single(ModelCompiler.Compile("case.model", source.Text).Diagnostics);

            Assert.Equal(DiagnosticCatalog.UsedBeforeDefinition, diagnostic.Code);
            Assert.Equal((source.Line, source.Column), (diagnostic.Span.Line, diagnostic.Span.Column));
            Assert.Equal("'h' is used before its definition at line 4", diagnostic.Message);
        }
    }
}
