using System;
using System.IO;
using System.Linq;
using ModelC.Onnx;
using ModelC.Runtime.Weights;
using ModelC.Tests.Cli;
using ModelC.Tests.Compiler;
using ModelC.Tests.Samples;
using Xunit;

namespace ModelC.Tests.Onnx
{
    /// <summary>
    /// ONNX files written by PyTorch (Fixtures/Onnx/make_onnx_fixtures.py) are imported, compiled
    /// and run; ONNX Runtime's outputs on the original file are the reference.
    /// </summary>
    public class OnnxImportTests
    {
        public static string Fixture(string name) => Path.Combine(SampleModels.RepositoryPath("Tests"), "ModelC.Tests", "Fixtures", "Onnx", name);

        [Theory]
        [InlineData("mlp.onnx")]
        [InlineData("cnn.onnx")]
        [InlineData("recurrent.onnx")]
        [InlineData("ops.onnx")]
        public void Imported_model_computes_what_onnx_runtime_computes(string file)
        {
            string path = Fixture(file);
            var imported = OnnxImport.Read(path);
            using var folder = new TempDirectory();
            var (modelPath, weightsPath) = imported.Save(folder.Path);

            var model = ModelHarness.Create(File.ReadAllText(modelPath), seed: 0);
            ModelWeights.Load(model, weightsPath);
            const int batch = 4;
            var inputs = OnnxTestModels.RandomInputs(model, batch, seed: 5);
            var expected = OnnxTestModels.RunOnnx(File.ReadAllBytes(path), inputs, model.Inputs, batch);
            OnnxTestModels.AssertClose(expected, OnnxTestModels.Forward(model, inputs, batch), file);
        }

        [Fact]
        public void PyTorch_names_become_layers_with_their_weights()
        {
            var imported = OnnxImport.Read(Fixture("mlp.onnx"));
            Assert.Equal("Mlp", imported.Name);
            Assert.Contains("layer fc1 = dense(16);", imported.ModelText);
            Assert.Contains("input x : float[6];", imported.ModelText);
            Assert.Contains("output probs = softmax(", imported.ModelText);
            Assert.Equal(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias" }, imported.Tensors.Select(t => t.Name));

            var recurrent = OnnxImport.Read(Fixture("recurrent.onnx"));
            Assert.Contains("input ids : int<20>[7];", recurrent.ModelText);
            Assert.Contains("layer lstm = lstm(12);", recurrent.ModelText);
            Assert.Contains("layer gru = gru(5);", recurrent.ModelText);
            Assert.Contains("layer out = dense(3);", recurrent.ModelText);
        }

        [Fact]
        public void Imported_model_can_be_fine_tuned()
        {
            var imported = OnnxImport.Read(Fixture("mlp.onnx"));
            // Give the imported graph a loss, as a user fine-tuning it would.
            string text = imported.ModelText.Replace("    input x : float[6];", "    input x : float[6];\n    target y : int<4>;")
                .Replace("\n}\n", "\n    loss = cross_entropy(logits, y);\n    train { optimizer = adam(lr: 0.01); }\n}\n");
            var model = ModelHarness.Create(text, seed: 0);
            foreach (var tensor in imported.Tensors) tensor.Values.CopyTo(ModelC.Runtime.ModelExtensions.Parameter(model, tensor.Name));
            var batch = OnnxTestModels.RandomInputs(model, 16, seed: 9);
            // Labels the imported weights know nothing of: the largest of the first four features.
            var x = batch.Floats("x").ToArray();
            batch.Set("y", Enumerable.Range(0, 16).Select(i => Enumerable.Range(0, 4).MaxBy(k => x[i * 6 + k])).ToArray());
            float first = model.TrainStep(batch);
            float last = first;
            for (int step = 0; step < 200; step++) last = model.TrainStep(batch);
            Assert.True(last < 0.5f * first, $"loss {first} -> {last}");
        }
    }
}
