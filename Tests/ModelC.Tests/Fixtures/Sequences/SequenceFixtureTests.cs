using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelC.Runtime;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Fixtures.Sequences
{
    /// <summary>
    /// The sequence fixtures (make_sequence_fixtures.py: an LSTM language model, a GRU regressor and
    /// a matrix factorization, computed with PyTorch's nn.Embedding, nn.LSTM and nn.GRU): the
    /// generated model, given PyTorch's parameters and batch, reproduces the outputs, the loss,
    /// every parameter gradient and every float input gradient to 1e-4 relative.
    /// </summary>
    public class SequenceFixtureTests
    {
        public static IEnumerable<object[]> Names() =>
            Directory.EnumerateFiles(FixtureDirectory, "*.json").Select(p => new object[] { Path.GetFileNameWithoutExtension(p) }).OrderBy(n => (string)n[0], StringComparer.Ordinal);

        private static string FixtureDirectory => Path.Combine(GoldenFixture.Directory, "Sequences");

        private sealed class Fixture
        {
            public Fixture(string name)
            {
                using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, name + ".json")));
                var root = json.RootElement;
                Source = File.ReadAllText(Path.Combine(FixtureDirectory, root.GetProperty("model").GetString()!));
                ParameterNames = root.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();
                ParameterShapes = root.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray()).ToArray();
                Parameters = root.GetProperty("parameters").EnumerateArray().SelectMany(p => Doubles(p.GetProperty("values"))).Select(v => (float)v).ToArray();
                foreach (var section in new[] { "inputs", "targets" })
                    foreach (var data in root.GetProperty(section).EnumerateObject())
                    {
                        var values = Doubles(data.Value.GetProperty("values"));
                        if (data.Value.GetProperty("kind").GetString() == "int") Batch.Set(data.Name, values.Select(v => (int)v).ToArray());
                        else Batch.Set(data.Name, values.Select(v => (float)v).ToArray());
                    }
                Outputs = root.GetProperty("outputs").EnumerateObject().ToDictionary(o => o.Name, o => Doubles(o.Value));
                Loss = root.GetProperty("loss").GetDouble();
                Gradients = root.GetProperty("gradients").EnumerateArray().Select(g => (g.GetProperty("name").GetString()!, Doubles(g.GetProperty("values")))).ToArray();
                InputGradients = root.GetProperty("inputGradients").EnumerateObject().ToDictionary(o => o.Name, o => Doubles(o.Value));
            }

            public string Source { get; }
            public string[] ParameterNames { get; }
            public int[][] ParameterShapes { get; }
            public float[] Parameters { get; }
            public ModelData Batch { get; } = new ModelData();
            public Dictionary<string, double[]> Outputs { get; }
            public double Loss { get; }
            public (string Name, double[] Values)[] Gradients { get; }
            public Dictionary<string, double[]> InputGradients { get; }

            private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

            public IModel CreateModel()
            {
                var model = ModelHarness.Create(Source);
                Assert.Equal(ParameterNames, model.ParameterInfos.Select(p => p.Name));
                Assert.Equal(ParameterShapes, model.ParameterInfos.Select(p => p.Shape.ToArray()));
                Parameters.CopyTo(model.Parameters);
                return model;
            }
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void LossAndGradientsMatchPyTorch(string name)
        {
            var fixture = new Fixture(name);
            var model = fixture.CreateModel();
            var inputGradients = new ModelData();
            foreach (var (input, values) in fixture.InputGradients) inputGradients.Set(input, new float[values.Length]);

            float loss = model.ForwardBackward(fixture.Batch, inputGradients);

            GoldenFixtureGradientTests.AssertClose(new[] { fixture.Loss }, new[] { loss }, $"{name} loss");
            int offset = 0;
            foreach (var (parameter, values) in fixture.Gradients)
            {
                GoldenFixtureGradientTests.AssertClose(values, model.Gradients.Slice(offset, values.Length), $"{name} d(loss)/d({parameter})");
                offset += values.Length;
            }
            Assert.Equal(model.ParameterCount, offset);
            foreach (var (input, values) in fixture.InputGradients)
                GoldenFixtureGradientTests.AssertClose(values, inputGradients.Floats(input), $"{name} d(loss)/d({input})");
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void OutputsMatchPyTorch(string name)
        {
            var fixture = new Fixture(name);
            var model = fixture.CreateModel();
            foreach (var (output, values) in fixture.Outputs) fixture.Batch.Set(output, new float[values.Length]);

            model.Forward(fixture.Batch, training: false);

            foreach (var (output, values) in fixture.Outputs)
                GoldenFixtureGradientTests.AssertClose(values, fixture.Batch.Floats(output), $"{name} output {output}");
            GoldenFixtureGradientTests.AssertClose(new[] { fixture.Loss }, new[] { model.Loss(fixture.Batch) }, $"{name} inference loss");
        }

        [Fact]
        public void EveryFixtureIsHere()
        {
            Assert.Equal(new[] { "GruRegressor", "LstmLanguageModel", "MatrixFactorization", "NllTagger", "SmoothedPaddedNames", "StackedBiGruState", "StackedBiLstmState", "StackedRnnState" }, Names().Select(n => (string)n[0]));
        }
    }
}
