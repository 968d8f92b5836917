using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using ModelC.Generators;
using ModelC.Runtime;
using ModelC.Tests.Compiler;
using ModelC.Tests.Onnx;
using Xunit;

namespace ModelC.Tests.Generators
{
    /// <summary>
    /// .onnx files in AdditionalFiles, through the generator as the C# compiler runs it: each becomes
    /// a class with the .model API whose Forward computes what ONNX Runtime computes on the file,
    /// whose backward pass is right, and which can therefore be fine-tuned.
    /// </summary>
    public class OnnxGeneratorTests
    {
        /// <summary>An AdditionalFiles entry for a fixture: the generator reads the file's bytes from its path, not its text.</summary>
        private static AdditionalText OnnxFile(string name) => new InMemoryAdditionalText(OnnxImportTests.Fixture(name), "");

        /// <summary>Runs the generator on the file, compiles what it added and creates the class from the file's weights.</summary>
        private static IModel Compile(string file, out GeneratorRunResult result)
        {
            var driver = GeneratorHarness.CreateDriver(new ModelCGenerator(), new[] { OnnxFile(file) });
            driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(), out var updated, out var generatorDiagnostics);
            Assert.Empty(generatorDiagnostics);
            result = driver.GetRunResult().Results.Single();
            using var stream = new MemoryStream();
            var emitted = updated.Emit(stream);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
            var assembly = Assembly.Load(stream.ToArray());
            string className = ModelC.Onnx.OnnxImport.ModelNameFor(file);
            var type = assembly.GetType($"{GeneratorHarness.RootNamespace}.{className}", throwOnError: true)!;
            return (IModel)type.GetMethod("FromOnnx")!.Invoke(null, null)!;
        }

        [Theory]
        [InlineData("mlp.onnx")]
        [InlineData("cnn.onnx")]
        [InlineData("recurrent.onnx")]
        [InlineData("ops.onnx")]
        public void An_onnx_file_becomes_a_class_that_computes_what_onnx_runtime_computes(string file)
        {
            var model = Compile(file, out var result);

            Assert.Null(result.Exception);
            Assert.Empty(result.Diagnostics);
            string className = ModelC.Onnx.OnnxImport.ModelNameFor(file);
            Assert.Equal(
                new[] { $"{GeneratorHarness.RootNamespace}.{className}.OnnxWeights.g.cs", $"{GeneratorHarness.RootNamespace}.{className}.g.cs" },
                result.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal));
            const int batch = 3;
            var inputs = OnnxTestModels.RandomInputs(model, batch, seed: 11);
            var expected = OnnxTestModels.RunOnnx(File.ReadAllBytes(OnnxImportTests.Fixture(file)), inputs, model.Inputs, batch);
            OnnxTestModels.AssertClose(expected, OnnxTestModels.Forward(model, inputs, batch), file);
        }

        [Fact]
        public void The_weights_are_the_files_and_a_fresh_instance_starts_from_its_seed()
        {
            var fromFile = Compile("mlp.onnx", out _);
            var imported = ModelC.Onnx.OnnxImport.Read(OnnxImportTests.Fixture("mlp.onnx"));
            foreach (var tensor in imported.Tensors)
                Assert.Equal(tensor.Values, fromFile.Parameter(tensor.Name).ToArray());

            var fresh = (IModel)Activator.CreateInstance(fromFile.GetType(), 3)!;
            Assert.NotEqual(fromFile.Parameters.ToArray(), fresh.Parameters.ToArray());
            // The class carries the imported .model text, so it exports back to ONNX from the instance alone,
            // and the exported graph computes what the original file does.
            Assert.Equal(imported.ModelText, ModelSourceAttribute.Of(fromFile)!.Text);
            const int batch = 2;
            var inputs = OnnxTestModels.RandomInputs(fromFile, batch, seed: 15);
            byte[] original = File.ReadAllBytes(OnnxImportTests.Fixture("mlp.onnx"));
            OnnxTestModels.AssertClose(
                OnnxTestModels.RunOnnx(original, inputs, fromFile.Inputs, batch),
                OnnxTestModels.RunOnnx(ModelC.Onnx.OnnxExport.ToBytes(fromFile), inputs, fromFile.Inputs, batch),
                "mlp.onnx exported again");
        }

        [Fact]
        public void The_backward_pass_of_an_imported_class_matches_finite_differences()
        {
            var model = Compile("mlp.onnx", out _);
            const int batch = 2;
            var inputs = OnnxTestModels.RandomInputs(model, batch, seed: 12);
            var weights = new float[batch * 4];
            new ModelRandom(13).FillUniform(weights, -1f, 1f);

            // d(sum r·logits)/d(parameter) from Backward against differences of the same sum through Forward.
            double WeightedLogits()
            {
                var logits = OnnxTestModels.Forward(model, inputs, batch)["logits"];
                return logits.Select((v, i) => (double)v * weights[i]).Sum();
            }

            RunTraining(model, inputs, batch);
            model.Backward(new ModelData().Set("logits", weights), null);
            var analytic = model.Gradients.ToArray();
            double scale = analytic.Max(Math.Abs);
            for (int i = 0; i < analytic.Length; i += 7)
            {
                double numeric = GradientCheck.Derivative(() => model.Parameters, i, WeightedLogits);
                GradientCheck.AssertClose(numeric, analytic[i], scale, $"parameter {i}");
            }
        }

        [Fact]
        public void An_imported_class_fine_tunes_on_new_labels()
        {
            var model = Compile("mlp.onnx", out _);
            const int batch = 16;
            var inputs = OnnxTestModels.RandomInputs(model, batch, seed: 14);
            // Targets the file's weights know nothing of: logits that pick the largest of the first four features.
            var x = inputs.Floats("x").ToArray();
            var targets = new float[batch * 4];
            for (int i = 0; i < batch; i++)
            {
                int largest = Enumerable.Range(0, 4).MaxBy(k => x[i * 6 + k]);
                targets[i * 4 + largest] = 3f;
            }

            float first = MeanSquaredError(model, inputs, targets, batch);
            for (int step = 0; step < 300; step++)
            {
                var logits = RunTraining(model, inputs, batch);
                var gradient = logits.Select((v, i) => 2f * (v - targets[i]) / logits.Length).ToArray();
                model.Backward(new ModelData().Set("logits", gradient), null);
                var parameters = model.Parameters;
                var gradients = model.Gradients;
                for (int p = 0; p < parameters.Length; p++) parameters[p] -= 0.2f * gradients[p];
            }

            float last = MeanSquaredError(model, inputs, targets, batch);
            Assert.True(last < 0.25f * first, $"mean squared error {first} -> {last}");
        }

        [Fact]
        public void A_malformed_onnx_file_is_an_error_at_the_file_not_a_generator_crash()
        {
            string path = Path.Combine(Path.GetTempPath(), "modelc-generator-tests", "broken.onnx");
            var generator = new ModelCGenerator(ModelC.Compiler.ModelCompiler.Compile, (_, _) => new byte[] { 0x0a, 0xff, 0xff, 0xff, 0x7f });

            var result = GeneratorHarness.Run(generator, new InMemoryAdditionalText(path, ""));

            Assert.Null(result.Exception);
            Assert.Empty(result.GeneratedSources);
            var error = Assert.Single(result.Diagnostics);
            Assert.Equal("MC9997", error.Id);
            Assert.Equal(DiagnosticSeverity.Error, error.Severity);
            Assert.Equal(path, error.Location.GetLineSpan().Path);
            Assert.Contains("broken.onnx: invalid ONNX file", error.GetMessage());
        }

        [Fact]
        public void An_unsupported_op_names_the_node_and_the_supported_list()
        {
            var proto = new global::Onnx.ModelProto { IrVersion = 8, Graph = new global::Onnx.GraphProto { Name = "g" } };
            proto.OpsetImport.Add(new global::Onnx.OperatorSetIdProto { Domain = "", Version = 17 });
            var input = new global::Onnx.ValueInfoProto { Name = "x", Type = new global::Onnx.TypeProto { TensorType = new global::Onnx.TypeProto.Types.Tensor { ElemType = 1, Shape = new global::Onnx.TensorShapeProto() } } };
            input.Type.TensorType.Shape.Dim.Add(new global::Onnx.TensorShapeProto.Types.Dimension { DimParam = "batch" });
            input.Type.TensorType.Shape.Dim.Add(new global::Onnx.TensorShapeProto.Types.Dimension { DimValue = 3 });
            proto.Graph.Input.Add(input);
            var node = new global::Onnx.NodeProto { OpType = "Hardmax", Name = "pick" };
            node.Input.Add("x");
            node.Output.Add("y");
            proto.Graph.Node.Add(node);
            proto.Graph.Output.Add(new global::Onnx.ValueInfoProto { Name = "y" });
            byte[] bytes = Google.Protobuf.MessageExtensions.ToByteArray(proto);
            string path = Path.Combine(Path.GetTempPath(), "modelc-generator-tests", "hard.onnx");

            var result = GeneratorHarness.Run(new ModelCGenerator(ModelC.Compiler.ModelCompiler.Compile, (_, _) => bytes), new InMemoryAdditionalText(path, ""));

            var error = Assert.Single(result.Diagnostics);
            Assert.Equal("MC9997", error.Id);
            Assert.Contains("'pick' (Hardmax)", error.GetMessage());
            Assert.Contains("Gemm", error.GetMessage());
        }

        [Fact]
        public void A_missing_onnx_file_is_reported_as_unreadable()
        {
            string path = Path.Combine(Path.GetTempPath(), "modelc-generator-tests", "nowhere", "missing.onnx");

            var result = GeneratorHarness.Run(new InMemoryAdditionalText(path, ""));

            var error = Assert.Single(result.Diagnostics);
            Assert.Equal("MC9998", error.Id);
            Assert.Contains("missing.onnx", error.GetMessage());
        }

        private static float[] RunTraining(IModel model, ModelData inputs, int batch)
        {
            var data = new ModelData().Set("x", inputs.Floats("x").ToArray());
            var outputs = model.Outputs.ToDictionary(o => o.Name, o => new float[batch * o.Size]);
            foreach (var (name, values) in outputs) data.Set(name, values);
            model.Forward(data, training: true);
            return outputs["logits"];
        }

        private static float MeanSquaredError(IModel model, ModelData inputs, float[] targets, int batch)
        {
            var logits = OnnxTestModels.Forward(model, inputs, batch)["logits"];
            return logits.Select((v, i) => (v - targets[i]) * (v - targets[i])).Sum() / logits.Length;
        }
    }
}
