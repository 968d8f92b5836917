using System.Linq;
using ModelC.Compiler;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// Sizes past one .NET array (Array.MaxLength elements) are MC1023 at the statement that makes
    /// them, never a wrapped int constant in the generated code (CS0248, a negative arena size, an
    /// OverflowException at run time).
    /// </summary>
    public class SizeLimitTests
    {
        [Theory]
        [InlineData("dense 46341 x 46341", "input x : float[46341];\n    layer fc = dense(46341);\n    output o = fc(x);", 4, 16,
            "'fc.weight' of shape [46341, 46341] has 2147488281 elements, more than the 2147483591 one .NET array holds")]
        [InlineData("chained 1e9-filter convolutions", "input x : float[1, 8, 8];\n    layer c1 = conv2d(1000000000, 1);\n    layer c2 = conv2d(1000000000, 1);\n    output o = c2(c1(x));", 5, 19,
            "a tensor of shape [1000000000, 8, 8] has 64000000000 elements, more than the 2147483591 one .NET array holds")]
        [InlineData("padding 1000000", "input x : float[1, 4, 4];\n    layer c = conv2d(1, 3, padding: 1000000);\n    output o = c(x);", 4, 16,
            "a tensor of shape [1, 2000002, 2000002] has 4000008000004 elements, more than the 2147483591 one .NET array holds")]
        [InlineData("float[1500000000] and its relu", "input x : float[1500000000];\n    output o = relu(x);", 3, 16,
            "model 'M' needs 3000000000 floats per example in the activation arena, more than the 2147483591 one .NET array holds")]
        public void OversizedModelsAreMC1023AtTheirStatement(string what, string body, int line, int column, string message)
        {
            var result = ModelCompiler.Compile("m.model", "model M {\n    " + body + "\n}\n");

            var error = Assert.Single(result.Diagnostics, d => d.IsError);
            Assert.True(error.Code == "MC1023", $"{what}: {error}");
            Assert.Equal(message, error.Message);
            Assert.Equal((line, column), (error.Span.Line, error.Span.Column));
            Assert.Empty(result.Files);
        }
    }
}
