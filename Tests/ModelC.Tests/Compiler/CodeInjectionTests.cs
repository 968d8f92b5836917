using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelC.Compiler;
using ModelC.Compiler.Emit;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Text from a .model file, its path or the project reaches the generated C# only as comments,
    /// string literals and escaped identifiers. C# ends a line at CR, LF, U+0085, U+2028 and U+2029,
    /// so each of them is tried as a way to turn a comment's remainder into code: the C# must be the
    /// same code (trivia aside) as that of the model without the comment, and must compile.
    /// </summary>
    public class CodeInjectionTests
    {
        public static readonly string[] LineTerminators = { "\r", "\n", "\r\n", "\u0085", "\u2028", "\u2029" };

        // Line ends that a ModelC // comment runs past (the grammar ends it only at CR and LF).
        public static readonly string[] NonModelCLineTerminators = { "\u0085", "\u2028", "\u2029" };

        private const string Injected = "System.Console.WriteLine(\"injected\"); static int Injected() => 1;";

        private static string Model(string statement) => $@"
model Victim {{
    input x : float[3];
    target y : float[3];
    layer fc = dense(3);
    {statement}
    output o = fc(h);
    loss = mse(o, y);
}}";

        private static readonly string Clean = Model("let h = relu(x);");

        public static IEnumerable<object[]> EveryTerminator() => LineTerminators.Select(t => new object[] { Escape(t) });
        public static IEnumerable<object[]> TerminatorsInsideALineComment() => NonModelCLineTerminators.Select(t => new object[] { Escape(t) });

        [Theory]
        [MemberData(nameof(EveryTerminator))]
        public void ABlockCommentInAStatementStaysAComment(string terminator)
        {
            var text = Model($"let h = relu(x /* {Unescape(terminator)} {Injected} */);");

            AssertSameCodeAsClean(Emit("victim.model", text));
        }

        [Theory]
        [MemberData(nameof(TerminatorsInsideALineComment))]
        public void ALineCommentInAStatementStaysAComment(string terminator)
        {
            var text = Model($"let h = relu(x // {Unescape(terminator)} {Injected}\n);");

            AssertSameCodeAsClean(Emit("victim.model", text));
        }

        [Theory]
        [MemberData(nameof(EveryTerminator))]
        public void AFileNameStaysAComment(string terminator)
        {
            var fileName = $"victim{Unescape(terminator)}{Injected} <b>&amp;</b>.model";

            AssertSameCodeAsClean(Emit("dir/" + fileName, Clean));
        }

        [Theory]
        [MemberData(nameof(EveryTerminator))]
        public void ARootNamespaceBecomesIdentifiers(string terminator)
        {
            var result = ModelCompiler.Compile("victim.model", Clean, new CompileOptions($"Root{Unescape(terminator)}{Injected}"));
            var source = Assert.Single(result.Files).Source;

            var unit = CompilesCleanly(source);
            var ns = Assert.Single(unit.Members.OfType<BaseNamespaceDeclarationSyntax>());
            Assert.Single(ns.Members.OfType<ClassDeclarationSyntax>());
            Assert.DoesNotContain(unit.DescendantNodes().OfType<InvocationExpressionSyntax>(), call => call.ToString().Contains("WriteLine"));
        }

        [Fact]
        public void AQuotedStringHoldsEveryCharacterAndNothingElse()
        {
            var everything = new string(Enumerable.Range(0, 0x10000).Select(c => (char)c).ToArray());

            var literal = SyntaxFactory.ParseExpression(CSharpNames.Quote(everything));

            Assert.Empty(literal.GetDiagnostics());
            var token = Assert.IsType<LiteralExpressionSyntax>(literal).Token;
            Assert.Equal(everything, token.Value);
        }

        [Fact]
        public void ACommentIsOneLineWhateverItHolds()
        {
            var everything = new string(Enumerable.Range(0, 0x10000).Select(c => (char)c).ToArray());

            var unit = SyntaxFactory.ParseCompilationUnit("// " + CSharpNames.Comment(everything) + "\n");

            Assert.Empty(unit.GetDiagnostics());
            Assert.Empty(unit.Members);
            var trivia = unit.EndOfFileToken.LeadingTrivia.Where(t => !t.IsKind(SyntaxKind.EndOfLineTrivia)).ToList();
            Assert.Equal(SyntaxKind.SingleLineCommentTrivia, Assert.Single(trivia).Kind());
            Assert.Contains("\U0001F600", CSharpNames.Comment("a \U0001F600 b"));
        }

        [Fact]
        public void AnXmlDocCommentIsWellFormedWhateverItHolds()
        {
            var everything = new string(Enumerable.Range(0, 0x10000).Select(c => (char)c).ToArray());
            var source = "/// <summary>" + CSharpNames.XmlComment(everything + "</summary><a>&") + "</summary>\npublic class C { }\n";

            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(documentationMode: DocumentationMode.Diagnose));

            Assert.Empty(tree.GetDiagnostics());
            Assert.Single(tree.GetCompilationUnitRoot().Members);
        }

        private static string Emit(string path, string text)
        {
            var result = ModelCompiler.Compile(path, text);
            Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
            return Assert.Single(result.Files).Source;
        }

        // The class carries its .model text (and file name) in [ModelSource] string literals, which
        // differ from the clean model's by design; everything else must be the same code.
        private static void AssertSameCodeAsClean(string source)
        {
            var unit = WithoutAttributes(CompilesCleanly(source));
            var clean = WithoutAttributes(CSharpSyntaxTree.ParseText(Emit("victim.model", Clean)).GetCompilationUnitRoot());
            Assert.True(SyntaxFactory.AreEquivalent(clean, unit, topLevel: false), "the C# differs from the clean model's in more than comments:\n" + source);
        }

        private static SyntaxNode WithoutAttributes(CompilationUnitSyntax unit) =>
            unit.RemoveNodes(unit.DescendantNodes().OfType<AttributeListSyntax>(), SyntaxRemoveOptions.KeepNoTrivia)!;

        private static CompilationUnitSyntax CompilesCleanly(string source)
        {
            Assert.NotNull(ModelC.InMemory.InMemoryModels.Compile(source, out var problems));
            Assert.Empty(problems);
            return CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        }

        // xunit shows (and serializes) theory data better without raw line terminators in it.
        private static string Escape(string text) => string.Concat(text.Select(c => $"U+{(int)c:X4}"));

        private static string Unescape(string text)
        {
            var builder = new StringBuilder();
            foreach (var code in text.Split("U+", System.StringSplitOptions.RemoveEmptyEntries))
                builder.Append((char)System.Convert.ToInt32(code, 16));
            return builder.ToString();
        }
    }
}
