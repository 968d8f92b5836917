using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// A mistake whose value feeds later statements is reported once, where it was made: the
    /// statements built on it stay silent instead of repeating it in other words.
    /// </summary>
    public class OneMistakeOneErrorTests
    {
        private static readonly Dictionary<string, string> Models = new()
        {
            ["unknown name feeding an output and the loss"] = """
                model M {
                    input x : float[4];
                    target y : int<3>;
                    layer fc1 = dense(8);
                    layer fc2 = dense(3);
                    let h1 = relu(fc1(x));
                    let h2 = relu(⟨⟩h3);
                    output logits = fc2(h2);
                    loss = cross_entropy(logits, y);
                }
                """,
            ["unknown name feeding a layer whose weight is regularized"] = """
                model M {
                    input x : float[4];
                    target y : float[3];
                    layer fc1 = dense(8);
                    layer fc2 = dense(3);
                    let h1 = relu(fc1(x));
                    let h2 = relu(⟨⟩h3);
                    output o = fc2(h2);
                    loss = mse(o, y) + 0.1 * l2(fc2.weight);
                }
                """,
            ["unknown function feeding an output and the loss"] = """
                model M {
                    input x : float[4];
                    target y : float[4];
                    let h = ⟨⟩sigmod(x);
                    output o = h * 2;
                    loss = mse(o, y) + mean(h);
                }
                """,
            ["shape mismatch feeding an output and the loss"] = """
                model M {
                    input x : float[4];
                    target y : float[3];
                    layer fc = dense(3);
                    let h = fc(x) ⟨⟩+ x;
                    output o = relu(h);
                    loss = mse(o, y) + mean(h);
                }
                """,
            ["wrong argument count feeding the loss"] = """
                model M {
                    input x : float[4];
                    target y : float[4];
                    let h = relu(x, ⟨⟩1);
                    output o = tanh(h);
                    loss = mse(o, y) + sum(h);
                }
                """,
            ["duplicate input used later"] = """
                model M {
                    input x : float[4];
                    input ⟨⟩x : float[3];
                    layer fc = dense(2);
                    output o = fc(x);
                }
                """,
            ["missing semicolon"] = """
                model M {
                    input x : float[4]⟨⟩
                    layer fc = dense(2);
                    output o = fc(x);
                    loss = mean(o);
                }
                """,
            ["unknown layer kind, layer called later"] = """
                model M {
                    input x : float[4];
                    layer fc = ⟨⟩dense2(3);
                    output o = fc(x);
                }
                """,
            ["invalid layer argument, layer called and regularized later"] = """
                model M {
                    input x : float[4];
                    layer fc = dense(⟨⟩0);
                    output o = fc(x);
                    loss = mean(o) + l2(fc.weight);
                }
                """,
            ["oversized input used later"] = """
                model M {
                    input x : float[⟨⟩65536, 65536];
                    target y : float[3];
                    output o = relu(x);
                    loss = mse(o, y);
                }
                """,
            ["unterminated comment inside a model"] = """
                model M {
                    input x : float[4]; ⟨⟩/* never closed
                    output o = x;
                }
                """,
        };

        [Theory]
        [InlineData("unknown name feeding an output and the loss")]
        [InlineData("unknown name feeding a layer whose weight is regularized")]
        [InlineData("unknown function feeding an output and the loss")]
        [InlineData("shape mismatch feeding an output and the loss")]
        [InlineData("wrong argument count feeding the loss")]
        [InlineData("duplicate input used later")]
        [InlineData("missing semicolon")]
        [InlineData("unknown layer kind, layer called later")]
        [InlineData("invalid layer argument, layer called and regularized later")]
        [InlineData("oversized input used later")]
        [InlineData("unterminated comment inside a model")]
        public void TheMistakeIsTheOnlyError(string name)
        {
            var source = MarkedSource.Parse(Models[name]);

            var result = ModelCompiler.Compile("case.model", source.Text);

            var error = Assert.Single(result.Diagnostics, d => d.IsError);
            Assert.Equal((source.Line, source.Column), (error.Span.Line, error.Span.Column));
            Assert.Empty(result.Files);
        }

        [Theory]
        [InlineData("let h = sigmod(fc1(x));", null)]
        [InlineData("let h = relu(fc1(x), 2);", null)]
        [InlineData("let h = missing + fc1(x);", DiagnosticCatalog.UnknownName)]
        [InlineData("let h = fc1(x, x);", null)]
        public void ALayerCalledInsideAnExpressionThatFailed_IsNotReportedAsNeverCalled(string statement, string? expectedCode)
        {
            string text = "model M {\n    input x : float[4];\n    layer fc1 = dense(3);\n    " + statement + "\n    output o = x;\n}\n";

            var result = ModelCompiler.Compile("case.model", text);

            var error = Assert.Single(result.Diagnostics, d => d.IsError);
            if (expectedCode is not null) Assert.Equal(expectedCode, error.Code);
            Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCatalog.UnusedLayer);
        }

        [Fact]
        public void ALayerNamedInNoCall_IsStillReportedAsNeverCalled()
        {
            var result = ModelCompiler.Compile("case.model", "model M {\n    input x : float[4];\n    layer fc1 = dense(3);\n    output o = x;\n}\n");

            Assert.Equal(new[] { DiagnosticCatalog.UnusedLayer }, result.Diagnostics.Select(d => d.Code));
        }

        [Fact]
        public void AMistakeDoesNotMakeLayersCalledOnItLookUnused()
        {
            var result = ModelCompiler.Compile("case.model", MarkedSource.Parse(Models["unknown name feeding an output and the loss"]).Text);

            Assert.Equal(new[] { DiagnosticCatalog.UnknownName }, result.Diagnostics.Select(d => d.Code));
        }
    }
}
