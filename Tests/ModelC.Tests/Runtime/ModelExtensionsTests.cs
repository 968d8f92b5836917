using System;
using ModelC.Runtime;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime
{
    public class ModelExtensionsTests
    {
        private const string Text = "model P { input x : float[3]; layer a = dense(2); layer b = dense(1); output o = b(a(x)); }";

        [Fact]
        public void ParameterIsTheNamedSliceOfTheFlatVectorAndWritesThrough()
        {
            var model = ModelHarness.Create(Text);
            var bias = model.Parameter("a.bias");
            Assert.Equal(2, bias.Length);
            bias[1] = 42f;
            Assert.Equal(42f, model.Parameters[6 + 1]);
            Assert.Equal(1, model.Parameter("b.bias").Length);
        }

        [Fact]
        public void AnUnknownNameIsRefusedWithTheKnownOnes()
        {
            var model = ModelHarness.Create(Text);
            var error = Assert.Throws<ArgumentException>(() => model.Parameter("a.wieght"));
            Assert.Equal("name", error.ParamName);
            Assert.Contains("a.weight, a.bias, b.weight, b.bias", error.Message);
        }
    }
}

namespace ModelC.Tests.Runtime
{
    using System.Linq;
    using ModelC.Runtime.Data;

    public class PredictExtensionTests
    {
        private const string TwoOutputs = """
            model Two {
                input x : float[2];
                layer fit = dense(3);
                output logits = fit(x);
                output probs = softmax(logits);
            }
            """;

        [Fact]
        public void Predict_returns_every_output_of_an_inference_forward_pass()
        {
            var model = ModelHarness.Create(TwoOutputs, seed: 3);
            float[] x = [1, 2, -1, 0.5f];
            var expected = new ModelData().Set("x", x.ToArray()).Set("logits", new float[6]).Set("probs", new float[6]);
            model.Forward(expected, training: false);

            ModelData outputs = model.Predict(new ModelData().Set("x", x));

            Assert.Equal(expected.Floats("logits").ToArray(), outputs.Floats("logits").ToArray());
            Assert.Equal(expected.Floats("probs").ToArray(), outputs.Floats("probs").ToArray());
            Assert.Equal(new[] { 1, 2, -1, 0.5f }, x);
        }

        [Fact]
        public void Predict_with_a_standardizer_scales_the_input_as_training_did()
        {
            var model = ModelHarness.Create(TwoOutputs, seed: 3);
            float[] raw = [40_000, 0.5f, 52_000, 0.25f, 31_000, 0.75f];
            var scaler = Standardizer.Fit(new Dataset(DatasetColumn.OfFloats("x", raw.ToArray(), 2)), "x");
            float[] scaled = raw.ToArray();
            scaler.Transform(scaled);

            ModelData withScaler = model.Predict(new ModelData().Set("x", raw), scaler);

            Assert.Equal(model.Predict(new ModelData().Set("x", scaled)).Floats("probs").ToArray(), withScaler.Floats("probs").ToArray());
            Assert.Equal(40_000f, raw[0]);
        }

        [Fact]
        public void The_untyped_forward_writes_only_the_outputs_the_data_binds()
        {
            var model = ModelHarness.Create(TwoOutputs, seed: 3);
            float[] x = [1, 2, -1, 0.5f];
            var both = new ModelData().Set("x", x).Set("logits", new float[6]).Set("probs", new float[6]);
            model.Forward(both, training: false);

            var probsOnly = new ModelData().Set("x", x).Set("probs", new float[6]);
            model.Forward(probsOnly, training: false);
            var logitsOnly = new ModelData().Set("x", x).Set("logits", new float[6]);
            model.Forward(logitsOnly, training: true);

            Assert.Equal(both.Floats("probs").ToArray(), probsOnly.Floats("probs").ToArray());
            Assert.Equal(both.Floats("logits").ToArray(), logitsOnly.Floats("logits").ToArray());
            Assert.False(probsOnly.Contains("logits"));
            Assert.Equal(6, probsOnly.Floats("probs").ToArray().Count(p => p > 0f && p < 1f));
        }

        [Fact]
        public void An_unknown_output_name_lists_the_outputs()
        {
            var model = ModelHarness.Create(TwoOutputs);

            var error = Assert.Throws<ArgumentException>(() => model.Predict(new ModelData().Set("x", new float[2]), "prob"));

            Assert.Contains("has no output 'prob'; it has: logits, probs", error.Message);
        }
    }
}
