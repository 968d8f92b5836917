using System.Linq;
using ModelC.Dsl.Syntax;
using Xunit;

namespace ModelC.Tests.Dsl
{
    internal static class ParseAssert
    {
        /// <summary>Parses text that must be valid; a failure message lists the diagnostics.</summary>
        public static ModelFileSyntax Valid(string text)
        {
            var result = ModelParser.Parse(text);
            Assert.True(
                result.Diagnostics.Count == 0,
                "unexpected diagnostics: " + string.Join("; ", result.Diagnostics.Select(d => $"{d.Span} {d.Code} {d.Message}")));
            return result.File;
        }

        /// <summary>The single model of a file holding one model made of <paramref name="statements"/>.</summary>
        public static ModelSyntax ValidModel(string statements) => Valid("model M {\n" + statements + "\n}").Models.Single();

        /// <summary>The value of <c>let v = expression;</c> printed by <see cref="SyntaxPrinter"/>.</summary>
        public static string Expression(string expression)
        {
            var let = Assert.IsType<LetSyntax>(ValidModel("let v = " + expression + ";").Statements.Single());
            return SyntaxPrinter.Print(let.Value);
        }

        public static SyntaxDiagnostic SingleDiagnostic(string text)
        {
            var result = ModelParser.Parse(text);
            return Assert.Single(result.Diagnostics);
        }
    }
}
