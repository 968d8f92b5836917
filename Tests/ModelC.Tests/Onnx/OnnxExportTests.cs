using System.Linq;
using ModelC.Onnx;
using ModelC.Runtime;
using ModelC.Tests.Compiler;
using ModelC.Tests.Samples;
using Xunit;

namespace ModelC.Tests.Onnx
{
    /// <summary>
    /// Every exported graph runs in ONNX Runtime and gives the generated inference Forward's
    /// outputs on the same inputs, to 1e-5 of each output's largest magnitude.
    /// </summary>
    public class OnnxExportTests
    {
        private static void AssertExportMatchesForward(string source, string? modelName = null, int batch = 3)
        {
            var model = ModelHarness.Create(source, seed: 1, modelName);
            OnnxTestModels.PerturbBuffers(model, seed: 2);
            // From the instance alone: the graph comes from the source its class carries.
            byte[] onnx = OnnxExport.ToBytes(model);
            var inputs = OnnxTestModels.RandomInputs(model, batch, seed: 3);
            var expected = OnnxTestModels.Forward(model, inputs, batch);
            var actual = OnnxTestModels.RunOnnx(onnx, inputs, model.Inputs, batch);
            OnnxTestModels.AssertClose(expected, actual, model.Name);
        }

        [Theory]
        [InlineData("FashionMlp/fashion.model", null)]
        [InlineData("LeNet/lenet.model", null)]
        [InlineData("ResNet/resnet.model", null)]
        [InlineData("CharRnn/charrnn.model", "CharRnn")]
        [InlineData("SkipGram/skipgram.model", null)]
        [InlineData("Recommender/recommender.model", null)]
        [InlineData("Gan/gan.model", "Generator")]
        [InlineData("Gan/gan.model", "Discriminator")]
        [InlineData("Autoencoder/autoencoder.model", null)]
        [InlineData("Vae/vae.model", null)]
        [InlineData("PolynomialRegression/polynomials.model", "PolyDeg5")]
        [InlineData("HyperSearch/moons.model", "Moons8")]
        [InlineData("GeneratorSmoke/tiny.model", null)]
        [InlineData("Dcgan/dcgan.model", "Generator")]
        [InlineData("Dcgan/dcgan.model", "Discriminator")]
        [InlineData("LogisticRegression/logistic.model", null)]
        [InlineData("LinearRegression/linear.model", null)]
        [InlineData("Perceptron/perceptron.model", null)]
        public void Every_sample_exports_and_runs_in_onnx_runtime(string sample, string? modelName) =>
            AssertExportMatchesForward(SampleModels.Text(sample), modelName);

        [Fact]
        public void Batch_axis_is_dynamic()
        {
            var source = SampleModels.Text("FashionMlp/fashion.model");
            var model = ModelHarness.Create(source, seed: 1);
            byte[] onnx = OnnxExport.ToBytes(model);
            foreach (int batch in new[] { 1, 7 })
            {
                var inputs = OnnxTestModels.RandomInputs(model, batch, seed: batch);
                OnnxTestModels.AssertClose(OnnxTestModels.Forward(model, inputs, batch), OnnxTestModels.RunOnnx(onnx, inputs, model.Inputs, batch), $"batch {batch}");
            }
        }

        [Fact]
        public void Maxout_exports() => AssertExportMatchesForward("""
            model MaxoutSvm {
                input x : float[4, 3];
                param project : float[3, 2] = xavier;
                layer units = maxout(5, 3);
                layer score = dense(1);
                output margin = score(units(flatten(transpose(x @ project))));
            }
            """);

        [Fact]
        public void Signal_convolutions_and_pools_export() => AssertExportMatchesForward("""
            model SignalNet {
                input x : float[3, 16];
                layer c1 = conv1d(4, 3, padding: same);
                layer p1 = maxpool1d(2);
                layer c2 = conv1d(5, 3, stride: 2, padding: 1, bias: false);
                layer a2 = avgpool1d(2, stride: 1);
                layer g = global_maxpool1d();
                layer m = global_avgpool1d();
                let h = a2(c2(p1(tanh(c1(x)))));
                output o = g(h) + m(h);
            }
            """);

        [Fact]
        public void Transposed_convolutions_upsampling_and_global_pools_export() => AssertExportMatchesForward("""
            model UpNet {
                input x : float[2, 4, 5];
                layer t1 = conv_transpose2d(3, 3, stride: 2, padding: 1, output_padding: 1);
                layer t2 = conv_transpose2d(2, 4, stride: 2, padding: 1, bias: false);
                layer up = upsample2d(3);
                layer pool = adaptive_avgpool2d(2);
                layer g = global_avgpool2d();
                layer gm = global_maxpool2d();
                output o = pool(tanh(t1(x)));
                output p = g(t2(x)) + gm(up(x));
            }
            """);

        [Fact]
        public void Gru_exports() => AssertExportMatchesForward("""
            model GruTagger {
                input x : float[6, 4];
                layer gru = gru(5);
                layer head = dense(3);
                output tags = head(gru(x));
                output final = last(gru(x));
            }
            """);

        [Fact]
        public void Stacked_bidirectional_recurrent_layers_export() => AssertExportMatchesForward("""
            model Stacked {
                input x : float[6, 4];
                layer lstm = lstm(5, layers: 2, dropout: 0.3, bidirectional: true);
                layer gru = gru(3, layers: 2, bidirectional: true);
                output states = lstm(x);
                output tags = gru(x);
            }
            """);

        [Fact]
        public void An_lstm_with_an_initial_state_says_it_has_no_export()
        {
            var model = ModelHarness.Create("""
                model State {
                    input x : float[6, 4];
                    input h0 : float[1, 5];
                    layer lstm = lstm(5);
                    output states = lstm(x, h0);
                }
                """, seed: 1);
            var error = Assert.Throws<System.NotSupportedException>(() => OnnxExport.ToBytes(model));
            Assert.Contains("an lstm with an initial state or last_cell has no ONNX export", error.Message);
        }

        [Fact]
        public void Rnn_and_embedding_sequences_export() => AssertExportMatchesForward("""
            model Tagger {
                input words : int<20>[5];
                layer emb = embedding(20, 6);
                layer rnn = rnn(4);
                output states = rnn(emb(words));
                output first = states[0];
            }
            """);

        [Fact]
        public void Layernorm_and_batchnorm_of_vectors_export() => AssertExportMatchesForward("""
            model Normed {
                input x : float[8];
                layer fc = dense(6);
                layer ln = layernorm();
                layer bn = batchnorm();
                output y = bn(ln(fc(x)));
            }
            """);

        [Fact]
        public void Elementwise_functions_export() => AssertExportMatchesForward("""
            model Functions {
                input x : float[7];
                input w : float[7];
                let p = abs(x) + 0.5;
                output a = gelu(x) + mish(x) + softplus(x) + elu(x, 0.7) + leaky_relu(x, 0.1);
                output b = exp(-square(x)) + log(p) + sqrt(p) + pow(p, 1.5) + tanh(x) * sigmoid(w) - relu(w) / p;
                output c = max(x, w) - min(x, w);
                output d = clamp(x, -0.5, 0.5);
            }
            """);

        [Fact]
        public void Reductions_softmax_and_shapes_export() => AssertExportMatchesForward("""
            model Shapes {
                input x : float[3, 4];
                input v : float[4];
                param m : float[4, 2] = normal(0, 1);
                output s = sum(x, 0) + mean(x, -1)[1] + max_over(x, 1)[2] + sum(x);
                output sm = softmax(x);
                output ls = log_softmax(v);
                output mm = x @ m;
                output mv = x @ v;
                output vm = v @ m;
                output dotted = dot(v, v);
                output joined = concat(x, reshape(v, [1, 4]), axis: 0);
                output t = transpose(x @ m);
                output scaled = v * sum(m);
            }
            """);

        [Fact]
        public void Batched_products_permutations_and_softmax_over_an_axis_export() => AssertExportMatchesForward("""
            model Heads {
                input x : float[2, 3, 4];
                param w : float[4, 4] = normal(0, 1);
                param s : float[3, 4, 2] = normal(0, 1);
                let q = x @ w;
                output scores = softmax(q @ transpose(x, -2, -1), axis: -2);
                output mixed = permute(scores @ x, [1, 0, 2]);
                output broadcast = reshape(x, [2, 1, 3, 4]) @ s;
                output stacked = log_softmax(transpose(x), axis: 0);
            }
            """);

        [Fact]
        public void Causal_multihead_attention_exports() => AssertExportMatchesForward("""
            model Attention {
                input x : float[5, 8];
                layer attn = multihead_attention(2, causal: true);
                layer plain = multihead_attention(4);
                output o = plain(attn(x)) + softmax(x @ transpose(x) + causal_mask(5)) @ x;
            }
            """);

        [Fact]
        public void Save_writes_the_same_graph_as_the_source_overload()
        {
            var source = SampleModels.Text("ResNet/resnet.model");
            var model = ModelHarness.Create(source, seed: 4);
            OnnxTestModels.PerturbBuffers(model, seed: 5);
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"modelc-save-{System.Guid.NewGuid():N}.onnx");
            try
            {
                OnnxExport.Save(model, path);
                Assert.Equal(OnnxExport.ToBytes(model, source, "test.model"), System.IO.File.ReadAllBytes(path));
            }
            finally
            {
                System.IO.File.Delete(path);
            }
        }

        [Fact]
        public void Generated_class_carries_its_source_verbatim()
        {
            // Quotes, backslashes, tabs, CRLF and the characters C# reads as line breaks all survive.
            string source = "// a \"quoted\" \\path\\ \t tab \u2028 ls \u0085 nel \u0001\r\nmodel Odd {\r\n    input x : float[2];\r\n    layer d = dense(1);\r\n    output y = d(x);\r\n}";
            var model = ModelHarness.Create(source, seed: 0);
            var carried = ModelSourceAttribute.Of(model);
            Assert.NotNull(carried);
            Assert.Equal(source, carried!.Text);
            Assert.Equal("test.model", carried.FileName);
        }

        [Fact]
        public void A_class_not_generated_by_modelc_gets_a_clear_error()
        {
            var model = new Wrapped(ModelHarness.Create(SampleModels.Text("Perceptron/perceptron.model")));
            var error = Assert.Throws<System.ArgumentException>(() => OnnxExport.ToBytes(model));
            Assert.Contains("carries no [ModelSource]", error.Message);
        }

        /// <summary>An IModel that ModelC did not generate: it forwards to a generated one but carries no source.</summary>
        private sealed class Wrapped(IModel inner) : IModel
        {
            public string Name => inner.Name;
            public int ParameterCount => inner.ParameterCount;
            public System.Span<float> Parameters => inner.Parameters;
            public System.Span<float> Gradients => inner.Gradients;
            public System.Collections.Generic.IReadOnlyList<ParameterInfo> ParameterInfos => inner.ParameterInfos;
            public System.Collections.Generic.IReadOnlyList<TensorInfo> Inputs => inner.Inputs;
            public System.Collections.Generic.IReadOnlyList<TensorInfo> Targets => inner.Targets;
            public System.Collections.Generic.IReadOnlyList<TensorInfo> Outputs => inner.Outputs;
            public bool HasLoss => inner.HasLoss;
            public ModelC.Runtime.Optimizers.IOptimizer Optimizer { get => inner.Optimizer; set => inner.Optimizer = value; }
            public ModelRandom Random => inner.Random;
            public TrainingDefaults TrainingDefaults => inner.TrainingDefaults;
            public void Forward(ModelData data, bool training) => inner.Forward(data, training);
            public void Backward(ModelData outputGradients, ModelData? inputGradients) => inner.Backward(outputGradients, inputGradients);
            public float ForwardBackward(ModelData batch) => inner.ForwardBackward(batch);
            public float ForwardBackward(ModelData batch, ModelData inputGradients) => inner.ForwardBackward(batch, inputGradients);
            public float Loss(ModelData batch) => inner.Loss(batch);
            public float TrainStep(ModelData batch) => inner.TrainStep(batch);
        }
    }
}
