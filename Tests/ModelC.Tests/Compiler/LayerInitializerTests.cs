using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// init: and bias_init: on every parameterized layer: which initializer each parameter gets
    /// (PyTorch's defaults when none is given), and that the generated Initialize draws from it.
    /// </summary>
    public class LayerInitializerTests
    {
        private const string Layers = @"model Inits {
    input x : float[1, 8, 8];
    input ids : int<50>[4];
    layer conv = conv2d(64, 3, init: he, bias_init: normal(0.5, 0.01));
    layer bn = batchnorm(init: normal(1, 0.02), bias_init: ones);
    layer fc = dense(300, init: normal(0, 0.1), bias_init: zeros);
    layer ln = layernorm(init: uniform(0.5, 1.5), bias_init: normal(0.05));
    layer mo = maxout(3, 2, init: xavier, bias_init: ones);
    layer emb = embedding(50, 16, init: uniform(-0.1, 0.1));
    layer rec = lstm(12, init: normal(0, 0.05), bias_init: zeros);
    layer plain = dense(4);
    layer table = embedding(50, 16);
    output o = mo(ln(fc(flatten(bn(conv(x))))));
    output s = plain(last(rec(emb(ids)))) + sum(table(ids));
}";

        private static Dictionary<string, ParameterNode> Parameters()
        {
            var diagnostics = new DiagnosticBag("inits.model");
            var model = Assert.Single(ModelCompiler.Analyze("inits.model", Layers, null, diagnostics));
            Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics.Items));
            return model.Graph.Parameters.ToDictionary(p => p.Name!);
        }

        [Theory]
        [InlineData("conv.weight", "he", 0, 0)]
        [InlineData("conv.bias", "normal", 0.5, 0.01)]
        [InlineData("bn.weight", "normal", 1, 0.02)]
        [InlineData("bn.bias", "ones", 0, 0)]
        [InlineData("fc.weight", "normal", 0, 0.1)]
        [InlineData("fc.bias", "zeros", 0, 0)]
        [InlineData("ln.weight", "uniform", 0.5, 1.5)]
        [InlineData("ln.bias", "normal", 0, 0.05)]
        [InlineData("mo.weight", "xavier", 0, 0)]
        [InlineData("mo.bias", "ones", 0, 0)]
        [InlineData("emb.weight", "uniform", -0.1, 0.1)]
        [InlineData("rec.weight_ih", "normal", 0, 0.05)]
        [InlineData("rec.weight_hh", "normal", 0, 0.05)]
        [InlineData("rec.bias_ih", "zeros", 0, 0)]
        [InlineData("rec.bias_hh", "zeros", 0, 0)]
        // PyTorch's defaults: nn.Linear's uniform(±1/√fan_in) for both, nn.Embedding's N(0, 1).
        [InlineData("plain.weight", "uniform", -1 / 3.4641016151377544, 1 / 3.4641016151377544)]
        [InlineData("plain.bias", "uniform", -1 / 3.4641016151377544, 1 / 3.4641016151377544)]
        [InlineData("table.weight", "normal", 0, 1)]
        public void Each_parameter_gets_its_layers_initializer(string parameter, string kind, double a, double b)
        {
            var init = Parameters()[parameter].Initializer;
            Assert.Equal(kind, init.Kind);
            Assert.Equal(a, init.A, 12);
            Assert.Equal(b, init.B, 12);
        }

        [Fact]
        public void Initialize_draws_batchnorm_weights_from_normal_1_0_02_and_embeddings_from_their_uniform()
        {
            IModel model = ModelHarness.Create(Layers, seed: 5);
            float[] Values(string name)
            {
                ParameterInfo info = model.ParameterInfos.Single(p => p.Name == name);
                return model.Parameters.Slice(info.Offset, info.Length).ToArray();
            }

            float[] bn = Values("bn.weight");
            double mean = bn.Average(v => (double)v);
            double std = Math.Sqrt(bn.Average(v => (v - mean) * (v - mean)));
            Assert.InRange(mean, 1 - 0.01, 1 + 0.01);            // 64 draws: the mean's std is 0.0025
            Assert.InRange(std, 0.014, 0.026);
            Assert.All(Values("bn.bias"), v => Assert.Equal(1f, v));
            float[] emb = Values("emb.weight");
            Assert.All(emb, v => Assert.InRange(v, -0.1f, 0.1f));
            Assert.True(emb.Max() > 0.09f && emb.Min() < -0.09f);
            Assert.All(Values("fc.bias"), v => Assert.Equal(0f, v));
            Assert.All(Values("rec.bias_hh"), v => Assert.Equal(0f, v));
            float[] conv = Values("conv.bias");
            Assert.InRange(conv.Average(v => (double)v), 0.49, 0.51);
            Assert.True(Values("table.weight").Any(v => Math.Abs(v) > 1.5f), "the default embedding is N(0, 1)");
        }
    }
}
