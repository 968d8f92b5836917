using System;
using System.Collections.Generic;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Finite-difference gradient checks of the sequence and embedding ops: embedding and U[u]
    /// (whose gradients are parameter gradients, with rows picked twice in one batch), seq[t],
    /// last, dense and cross_entropy over a time axis, and the rnn, lstm and gru layers unrolled
    /// over time (parameter gradients and input gradients through every step).
    /// </summary>
    public class SequenceOpGradientTests
    {
        private const int Batch = 3;

        /// <summary>name, extra declarations, output expression, loss (null: sum(square(o))).</summary>
        public static readonly (string Name, string Declarations, string Output, string? Loss)[] Cases =
        {
            ("embedding of a sequence", "layer emb = embedding(5, 3);", "emb(tokens) * x", null),
            ("embedding of one id", "layer emb = embedding(6, 3);", "emb(u) + x[0]", null),
            ("gather U[u]", "", "U[u] * x[1]", null),
            ("gather U[tokens]", "", "U[tokens] + x", null),
            ("gather of a vector", "param bias : float[5] = uniform(-0.5, 0.5);", "bias[u] * x", null),
            ("gather from a per-example table", "", "x[k] * 2 + U[u]", null),
            ("row of a parameter", "", "U[2] * x[0] + U[-1]", null),
            ("time step", "", "x[1] * x[3] + x[-1]", null),
            ("last", "", "last(x) * x[0]", null),
            ("dense over time", "layer fc = dense(5);", "fc(x)", null),
            ("cross_entropy over time", "layer fc = dense(5);", "fc(x) * 2", "cross_entropy(o, y)"),
            ("cross_entropy over time, sum", "layer fc = dense(5);", "fc(x) * 2", "cross_entropy(o, y, reduce: sum)"),
            // y holds 4 at 1, 0 and 2 steps of the three examples: the mean runs over the batch's 9 other steps.
            ("cross_entropy ignore_index", "layer fc = dense(5);", "fc(x) * 2", "cross_entropy(o, y, ignore_index: 4)"),
            ("cross_entropy label_smoothing", "layer fc = dense(5);", "fc(x) * 2", "cross_entropy(o, y, label_smoothing: 0.2)"),
            ("cross_entropy ignore_index, label_smoothing, sum", "layer fc = dense(5);", "fc(x) * 2",
                "cross_entropy(o, y, ignore_index: 4, label_smoothing: 0.1, reduce: sum)"),
            ("nll_loss over time", "layer fc = dense(5);", "log_softmax(fc(x) * 2)", "nll_loss(o, y)"),
            ("nll_loss ignore_index", "layer fc = dense(5);", "log_softmax(fc(x) * 2)", "nll_loss(o, y, ignore_index: 4)"),
            ("causal_mask", "", "softmax(x @ transpose(x) * 2 + causal_mask(4)) @ x", null),
            ("multihead_attention", "layer attn = multihead_attention(3, bias: false);", "attn(x * 2)", null),
            ("multihead_attention causal", "layer attn = multihead_attention(1, causal: true);", "attn(x * 2) * x", null),
            ("rnn", "layer cell = rnn(4);", "cell(x * 2)", null),
            ("lstm", "layer cell = lstm(4);", "cell(x * 2)", null),
            ("gru", "layer cell = gru(4);", "cell(x * 2)", null),
            ("lstm stacked", "layer first = lstm(3); layer second = lstm(2);", "second(first(x * 2))", null),
            ("gru last into dense", "layer cell = gru(3); layer fc = dense(2);", "fc(last(cell(x * 2)))", null),
            ("embedding into lstm", "layer emb = embedding(5, 3); layer cell = lstm(3); layer fc = dense(5);", "fc(cell(emb(tokens) + x))", "cross_entropy(o * 2, y)"),
        };

        public static IEnumerable<object[]> CaseNames()
        {
            foreach (var c in Cases) yield return new object[] { c.Name };
        }

        public static string ModelText(string name)
        {
            var c = Array.Find(Cases, k => k.Name == name);
            return $@"model SequenceCase {{
    input tokens : int<5>[4];
    input u : int<5>;
    input k : int<4>;
    input x : float[4, 3];
    target y : int<5>[4];
    param U : float[5, 3] = uniform(-0.5, 0.5);
    {c.Declarations}
    output o = {c.Output};
    loss = {c.Loss ?? "sum(square(o))"};
}}";
        }

        /// <summary>Ids that repeat within an example and across the batch (u is 2 twice), and x in [-0.5, 0.5].</summary>
        public static ModelData SequenceBatch(int seed = 1)
        {
            var random = new ModelRandom(seed);
            var x = new float[Batch * 12];
            random.FillUniform(x, -0.5f, 0.5f);
            var tokens = new[] { 1, 3, 1, 0, 4, 2, 2, 1, 3, 3, 0, 4 };
            var u = new[] { 2, 4, 2 };
            var k = new[] { 3, 0, 3 };
            var y = new[] { 0, 2, 4, 1, 3, 3, 1, 0, 2, 4, 4, 1 };
            return new ModelData().Set("tokens", tokens).Set("u", u).Set("k", k).Set("x", x).Set("y", y);
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void ParameterGradientsMatchFiniteDifferences(string name)
        {
            var model = ModelHarness.Create(ModelText(name), seed: 3);
            GradientCheck.Parameters(model, SequenceBatch());
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void InputGradientsMatchFiniteDifferences(string name)
        {
            var model = ModelHarness.Create(ModelText(name), seed: 3);
            GradientCheck.Inputs(model, SequenceBatch(), "o", "x");
        }
    }
}
