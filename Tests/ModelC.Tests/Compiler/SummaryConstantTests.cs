using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Summary;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>The generated <c>Summary</c> constant: what <c>modelc summary</c> prints, available to a program at run time.</summary>
    public sealed class SummaryConstantTests
    {
        private const string Text = """
            block Twice(width) {
                layer a = dense(width);
                layer b = dense(width);
                forward(x) { return b(relu(a(x))); }
            }

            model Described {
                input  x : float[3];
                target y : int<2>;
                param  scale : float[4] = ones;
                layer  body = Twice(4);
                layer  head = dense(2);
                output logits = head(body(x) * scale);
                loss = cross_entropy(logits, y);
            }
            """;

        [Fact]
        public void The_constant_is_the_summary_text_of_the_model()
        {
            var diagnostics = new DiagnosticBag("described.model");
            var plan = Assert.Single(ModelCompiler.Analyze("described.model", Text, null, diagnostics)).Plan;
            string expected = ModelSummary.Create(plan).ToText();

            var type = ModelHarness.Create(Text).GetType();
            string summary = (string)type.GetField("Summary")!.GetRawConstantValue()!;

            Assert.Equal(expected, summary);
            // body: 3·4 + 4 + 4·4 + 4 = 36; head: 4·2 + 2 = 10; scale: 4.
            Assert.Matches(@"body \(Twice\)\s+\[4\]\s+36\n", summary);
            Assert.Matches(@"scale \(param\)\s+\[4\]\s+4\n", summary);
            Assert.Contains("Total parameters: 50\n", summary);
        }
    }
}
