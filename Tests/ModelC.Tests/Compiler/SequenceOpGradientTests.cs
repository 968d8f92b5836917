using System;
using System.Collections.Generic;
using System.Linq;
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
            ("lstm two layers, bidirectional", "layer cell = lstm(3, layers: 2, bidirectional: true);", "cell(x * 2)", null),
            ("gru two layers, bidirectional", "layer cell = gru(3, layers: 2, bidirectional: true);", "cell(x * 2)", null),
            ("rnn two layers, bidirectional", "layer cell = rnn(3, layers: 2, bidirectional: true);", "cell(x * 2)", null),
            // h0 and c0 [layers, hidden] computed from x, so x's gradient carries theirs; o reads the sequence and both final states.
            ("lstm initial state, last_state, last_cell", "layer cell = lstm(6, layers: 2); let s = cell(x, reshape(x, [2, 6]), reshape(x * 0.5, [2, 6]));",
                "last_state(s) + 2 * last_cell(s) + sum(s, axis: 0)", null),
            ("lstm bidirectional from a state, last_cell", "layer cell = lstm(6, bidirectional: true); let s = cell(x * 2, reshape(x, [2, 6]), reshape(-x, [2, 6]));",
                "last_state(s) * last_cell(s) + reshape(s[1], [2, 6])", null),
            ("lstm with h0 only, last_cell", "layer cell = lstm(3); let s = cell(x * 2, x[3]);", "last_cell(s) + s[0]", null),
            ("gru initial state [hidden], last_state", "layer cell = gru(3); let s = cell(x, x[0] * 2);", "last_state(s) + s[1]", null),
            ("gru two layers, bidirectional, from a state", "layer cell = gru(3, layers: 2, bidirectional: true); let s = cell(x, x);", "reshape(last_state(s), [2, 6]) * s[3] + s[0]", null),
            ("rnn initial state, last_state", "layer cell = rnn(6, layers: 2); let s = cell(x, reshape(x, [2, 6]));", "last_state(s) + sum(s, axis: 0)", null),
            // An LSTM over a parameter sequence is unrolled; the per-example state makes every step per example.
            ("lstm unrolled from a state, last_cell", "layer cell = lstm(3); let s = cell(U, x[0], x[1]);", "s[0] + last_cell(s) + last_state(s)", null),
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

        private static string StackedWithDropout(string kind, double dropout) => $@"model Stacked {{
    input x : float[4, 3];
    layer cell = {kind}(5, layers: 2, dropout: {dropout.ToString(System.Globalization.CultureInfo.InvariantCulture)}, bidirectional: true);
    output o = cell(x * 2);
    loss = sum(square(o));
}}";

        [Theory]
        [InlineData("lstm")]
        [InlineData("gru")]
        [InlineData("rnn")]
        public void DropoutBetweenLayersActsOnlyInTraining(string kind)
        {
            var dropped = ModelHarness.Create(StackedWithDropout(kind, 0.5), seed: 3);
            var plain = ModelHarness.Create(StackedWithDropout(kind, 0), seed: 3);
            Assert.Equal(plain.Parameters.ToArray(), dropped.Parameters.ToArray());
            var batch = SequenceBatch();
            var reference = new float[Batch * 40];
            plain.Forward(batch.Set("o", reference), training: false);
            var inference = new float[Batch * 40];
            dropped.Forward(batch.Set("o", inference), training: false);
            Assert.Equal(reference, inference);

            // Training draws a fresh mask per call on the first layer's outputs only.
            var first = new float[Batch * 40];
            dropped.Forward(batch.Set("o", first), training: true);
            var second = new float[Batch * 40];
            dropped.Forward(batch.Set("o", second), training: true);
            Assert.NotEqual(reference, first);
            Assert.NotEqual(first, second);
        }

        [Theory]
        [InlineData("lstm")]
        [InlineData("gru")]
        public void DropoutBetweenLayersGradientsMatchFiniteDifferencesWithTheMaskFixed(string kind)
        {
            var model = ModelHarness.Create(StackedWithDropout(kind, 0.3), seed: 3);
            var batch = SequenceBatch();
            var state = model.Random.GetState();
            float TrainingLoss()
            {
                model.Random.SetState(state);
                return model.ForwardBackward(batch);
            }
            TrainingLoss();
            var analytic = model.Gradients.ToArray();
            double scale = analytic.Max(Math.Abs);
            // Every fourth weight keeps the test short; each layer and direction has some.
            for (int i = 0; i < analytic.Length; i += 4)
                GradientCheck.AssertClose(GradientCheck.Derivative(() => model.Parameters, i, () => TrainingLoss()), analytic[i], scale, $"d(loss)/d(p[{i}])");
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
