using System.Linq;
using Microsoft.CodeAnalysis;
using ModelC.Generators;
using Xunit;

namespace ModelC.Tests.Generators
{
    /// <summary>
    /// A model with errors still gets its class, as a stand-in whose members throw, so that the
    /// C# that uses it compiles and the build reports the model's MC errors only (no CS0246).
    /// </summary>
    public class StandInClassTests
    {
        // Uses every member of the generated surface a program typically touches.
        private const string UserCode = """
            using System;
            using ModelC.Runtime;
            namespace Acme.Models
            {
                public static class Uses
                {
                    public static float Run()
                    {
                        var model = new Classifier(seed: 3);
                        IModel untyped = model;
                        float[] x = new float[Classifier.XSize], logits = new float[Classifier.LogitsSize];
                        int[] y = new int[Classifier.YSize];
                        model.Forward(x, logits);
                        model.ForwardTrain(x, logits);
                        model.Backward(logits, x);
                        model.Optimizer = Classifier.CreateOptimizer();
                        Console.WriteLine(Classifier.Summary + Classifier.ParameterCount + model.Parameters.Length + untyped.Name);
                        return model.Loss(x, y) + model.TrainStep(x, y) + model.ForwardBackward(x, y);
                    }
                }
            }
            """;

        [Theory]
        [InlineData("an unknown name", "    let h = relu(fc1(z));\n")]
        [InlineData("a syntax error", "    let h = relu(fc1(x))\n")]
        [InlineData("a wrong layer argument", "    let h = relu(fc1(x, 2));\n")]
        public void AModelWithErrors_GetsAStandIn_SoUserCodeCompilesAndOnlyMcErrorsRemain(string mistake, string statement)
        {
            string text = "model Classifier {\n    input x : float[4];\n    target y : int<3>;\n    layer fc1 = dense(8);\n    layer out = dense(3);\n"
                + statement + "    output logits = out(h);\n    loss = cross_entropy(logits, y);\n}\n";
            var driver = GeneratorHarness.CreateDriver(new ModelCGenerator(), new[] { GeneratorHarness.Model("classifier.model", text) });

            driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(UserCode), out var output, out var generatorDiagnostics);

            Assert.Contains(generatorDiagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("MC"));
            var csharpErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(csharpErrors.Count == 0, $"{mistake}: " + string.Join("\n", csharpErrors));
        }

        [Fact]
        public void TheStandInKeepsTheSizesTheSyntaxGives_AndItsMembersThrow()
        {
            string text = "namespace Acme.Other;\nmodel Broken {\n    input x : float[2, 3];\n    target y : int<5>[7];\n    output o = missing(x);\n}\n";
            var result = GeneratorHarness.Run(GeneratorHarness.Model("broken.model", text));

            string source = Assert.Single(result.GeneratedSources).SourceText.ToString();
            Assert.Contains("namespace Acme.Other", source);
            Assert.Contains("public const int XSize = 6;", source);
            Assert.Contains("public const int YSize = 7;", source);
            Assert.Contains("public const int OSize = 0;", source);
            Assert.DoesNotContain("public float TrainStep", source); // no loss declared, so no typed loss methods
            Assert.Contains("throw Failed();", source);
        }
    }
}
