using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelC.Compiler.Emit;
using Xunit;

namespace ModelC.Tests.Compiler
{
    public class LiteralTests
    {
        /// <summary>Every number the emitter writes must be a C# float constant of the value float(x) has, NaN and overflow included.</summary>
        [Theory]
        [InlineData(0.1)]
        [InlineData(-2.0)]
        [InlineData(3.4028234663852886e38)]
        [InlineData(1e39)]
        [InlineData(-1e39)]
        [InlineData(1e-46)]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        [InlineData(double.NegativeInfinity)]
        public void ALiteralIsTheCSharpConstantOfItsFloat(double value)
        {
            var literal = EmitContext.Literal(value);
            var tree = CSharpSyntaxTree.ParseText($"static class C {{ public const float F = {literal}; }}");
            var compilation = CSharpCompilation.Create("literal", new[] { tree },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var declarator = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>().Single();
            var constant = compilation.GetSemanticModel(tree).GetConstantValue(declarator.Initializer!.Value);
            Assert.True(constant.HasValue, literal);
            Assert.Equal((float)value, (float)constant.Value!);
        }
    }
}
