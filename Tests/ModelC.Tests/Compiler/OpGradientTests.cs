using System;
using System.Collections.Generic;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// A finite-difference gradient check for every primitive op and every loss, each in a small
    /// model whose data stays away from kinks (relu and abs at 0, max ties, clamp bounds, hinge margins).
    /// </summary>
    public class OpGradientTests
    {
        private const int Batch = 3;

        /// <summary>name, extra declarations, output expression (over a = x + w and c = x2 + v), loss (null: sum(square(o))).</summary>
        public static readonly (string Name, string Declarations, string Output, string? Loss, bool Positive)[] Cases =
        {
            // elementwise, one argument
            ("relu", "", "relu(a)", null, false),
            ("sigmoid", "", "sigmoid(a)", null, false),
            ("tanh", "", "tanh(a)", null, false),
            ("leaky_relu", "", "leaky_relu(a, 0.1)", null, false),
            ("elu", "", "elu(a, 1.5)", null, false),
            ("softplus", "", "softplus(a * 3)", null, false),
            ("mish", "", "mish(a * 2)", null, false),
            ("gelu", "", "gelu(a * 2)", null, false),
            ("exp", "", "exp(a)", null, false),
            ("log", "", "log(a)", null, true),
            ("sqrt", "", "sqrt(a)", null, true),
            ("abs", "", "abs(a)", null, false),
            ("square", "", "square(a)", null, false),
            ("pow", "", "pow(a, 3)", null, false),
            ("negate", "", "-a", null, false),
            ("clamp", "", "clamp(a, -0.5, 0.5)", null, false),
            // elementwise, two arguments, with broadcasting
            ("add", "", "a + c", null, false),
            ("subtract", "", "a - c", null, false),
            ("multiply", "", "a * c", null, false),
            ("divide", "", "a / c", null, false),
            ("max", "", "max(a, c)", null, false),
            ("min", "", "min(a, c)", null, false),
            ("constant", "", "2 * a - 0.5", null, false),
            ("masked_fill", "", "masked_fill(reshape(concat(a, c, axis: 0), [3, 2, 2]), causal_mask(2), -0.5) * reshape(concat(c, a, axis: 0), [3, 2, 2])", null, false),
            ("masked_fill softmax", "", "softmax(masked_fill(reshape(concat(a, c, axis: 0), [3, 2, 2]) * 2, causal_mask(2), -1e30), axis: -1) * reshape(concat(c, a, axis: 0), [3, 2, 2])", null, false),
            ("broadcast row", "", "reshape(a, [2, 3]) * u", null, false),
            ("broadcast column", "", "reshape(a, [2, 3]) + reshape(c, [2, 3]) / reshape(c, [2, 1, 3])", null, false),
            ("broadcast scalar", "", "a * sum(c)", null, false),
            // products and layers
            ("matmul matrix", "", "reshape(a, [2, 3]) @ M", null, false),
            ("matmul matrix-vector", "", "reshape(a, [2, 3]) @ u", null, false),
            ("matmul vector-matrix", "", "sum(reshape(a, [2, 3]), axis: 0) @ M", null, false),
            ("matmul vector-vector", "", "sum(reshape(c, [2, 3]), axis: 0) @ u", null, false),
            ("matmul per-example", "", "reshape(a, [2, 3]) @ reshape(c, [3, 2])", null, false),
            ("matmul batched", "", "reshape(a, [2, 1, 3]) @ reshape(c, [2, 3, 1])", null, false),
            ("matmul batched weight", "", "reshape(a, [2, 1, 3]) @ M", null, false),
            ("matmul broadcast", "", "reshape(a, [2, 1, 1, 3]) @ reshape(c, [2, 3, 1])", null, false),
            ("matmul batched parameter", "param S : float[2, 2, 3] = uniform(-0.5, 0.5);", "S @ reshape(c, [2, 3, 1]) + reshape(a, [2, 1, 3]) @ transpose(S, -2, -1)", null, false),
            ("matmul stack-vector", "", "reshape(a, [2, 1, 3]) @ u", null, false),
            ("dense", "layer fc = dense(4);", "fc(a)", null, false),
            ("dense rows", "layer fc = dense(2, bias: false);", "fc(reshape(a, [2, 3]))", null, false),
            ("dense shared", "layer fc = dense(6);", "fc(fc(a))", null, false),
            ("maxout", "layer mo = maxout(2, 3);", "mo(a)", null, false),
            // reductions and shapes
            ("sum", "", "sum(a)", null, false),
            ("sum axis", "", "sum(reshape(a, [2, 3]), axis: 1)", null, false),
            ("mean", "", "mean(a)", null, false),
            ("mean axis", "", "mean(reshape(a, [2, 3]), 0)", null, false),
            ("max_over", "", "max_over(a)", null, false),
            ("max_over axis", "", "max_over(reshape(a, [2, 3]), axis: -1)", null, false),
            ("softmax", "", "softmax(reshape(a, [2, 3]) * 2)", null, false),
            ("log_softmax", "", "log_softmax(a * 2)", null, false),
            ("softmax axis", "", "softmax(reshape(a, [3, 2]) * 2, axis: 0) * reshape(c, [3, 2])", null, false),
            ("softmax middle axis", "", "softmax(reshape(concat(a, c, axis: 0), [2, 3, 2]) * 2, axis: -2) * reshape(concat(c, a, axis: 0), [2, 3, 2])", null, false),
            ("log_softmax axis", "", "log_softmax(reshape(a, [1, 3, 2]) * 2, axis: 1) * reshape(c, [1, 3, 2])", null, false),
            ("dot", "", "dot(a, c)", null, false),
            ("concat", "", "concat(a, c, axis: 0)", null, false),
            ("concat axis", "", "concat(reshape(a, [2, 3]), reshape(c, [2, 3]), axis: 1)", null, false),
            ("reshape", "", "reshape(a, [3, -1])", null, false),
            ("flatten", "", "flatten(reshape(a, [2, 3]) * u)", null, false),
            ("transpose", "", "transpose(reshape(a, [2, 3])) @ reshape(c, [2, 3])", null, false),
            ("transpose axes", "", "transpose(reshape(a, [1, 2, 3]), [2, 0, 1]) * reshape(c, [3, 1, 2])", null, false),
            ("transpose swap", "", "transpose(reshape(a, [1, 2, 3]), 0, -1) * reshape(c, [3, 2, 1])", null, false),
            ("transpose reversed", "", "transpose(reshape(a, [1, 2, 3])) * reshape(c, [3, 2, 1])", null, false),
            ("permute", "", "permute(reshape(a, [2, 1, 3]), [2, 0, 1]) * reshape(c, [3, 2, 1])", null, false),
            ("poly", "", "poly(a, 3)", null, false),
            // losses
            ("mse", "", "a", "mse(o, c)", false),
            ("mse sum", "", "a", "mse(o, c, reduce: sum)", false),
            ("mae", "", "a", "mae(o, c)", false),
            ("huber", "", "a", "huber(o, c, delta: 0.5)", false),
            ("bce", "", "sigmoid(a)", "bce(o, t)", false),
            ("bce_logits", "", "a * 3", "bce_logits(o, t)", false),
            ("cross_entropy classes", "", "a * 2", "cross_entropy(o, label)", false),
            ("cross_entropy soft", "", "a * 2", "cross_entropy(o, softmax(c))", false),
            ("cross_entropy label_smoothing", "", "a * 2", "cross_entropy(o, label, label_smoothing: 0.1)", false),
            ("cross_entropy soft label_smoothing", "", "a * 2", "cross_entropy(o, softmax(c), label_smoothing: 0.3)", false),
            ("nll_loss", "", "log_softmax(a * 2)", "nll_loss(o, label)", false),
            ("hinge", "", "a", "hinge(o, s)", false),
            ("perceptron", "", "a", "perceptron(o, s)", false),
            ("kl_normal", "", "a", "kl_normal(o, c)", false),
            ("l1", "", "a", "mse(o, c) + 0.3 * l1(M, u)", false),
            ("l2", "", "a", "mse(o, c) + 0.3 * l2(M, v)", false),
            ("l2 params", "layer fc = dense(2);", "fc(a)", "sum(square(o)) + 0.1 * l2(params)", false),
            ("l1 activations", "", "a * c", "mse(o, c) + 0.3 * l1(a, o)", false),
            ("l2 activations", "", "a * c", "mse(o, c) + 0.3 * l2(o)", false),
        };

        public static IEnumerable<object[]> CaseNames()
        {
            foreach (var c in Cases) yield return new object[] { c.Name };
        }

        public static string ModelText(string name)
        {
            var c = Array.Find(Cases, k => k.Name == name);
            return $@"model OpCase {{
    input x : float[6];
    input x2 : float[6];
    target t : float[6];
    target label : int<6>;
    target s : float[6];
    param w : float[6] = uniform(-0.01, 0.01);
    param v : float[6] = uniform(-0.01, 0.01);
    param u : float[3] = uniform(-0.5, 0.5);
    param M : float[3, 2] = uniform(-0.5, 0.5);
    {c.Declarations}
    let a = x + w;
    let c = x2 + v;
    output o = {c.Output};
    loss = {c.Loss ?? "sum(square(o))"};
}}";
        }

        /// <summary>
        /// A batch whose values keep every op away from its kinks: magnitudes in [0.2, 0.4] or
        /// [0.6, 0.95] (clamp at ±0.5, hinge at 1), |x - x2| in [0.15, 0.4] or beyond 0.6 (max ties,
        /// huber's delta), and the elements of one example at least 0.06 apart (max_over). The
        /// parameters w and v move values by at most 0.01, the finite-difference step by 0.01.
        /// </summary>
        public static ModelData SafeBatch(bool positive, int seed = 1)
        {
            var random = new ModelRandom(seed);
            // Positive data (for log and sqrt) meets no clamp or hinge, so it may spread wider.
            float Magnitude() => positive ? 0.2f + 1.8f * random.NextFloat()
                : random.NextFloat() < 0.5f ? 0.2f + 0.2f * random.NextFloat() : 0.6f + 0.35f * random.NextFloat();
            float Signed() => (positive || random.NextFloat() < 0.5f ? 1f : -1f) * Magnitude();
            var x = new float[Batch * 6];
            var x2 = new float[Batch * 6];
            for (int i = 0; i < x.Length; i++)
            {
                // Distinct within an example too (max_over must have one clear winner).
                do { x[i] = Signed(); }
                while (TooClose(x, i, i - i % 6));
                do { x2[i] = Signed(); }
                while (Math.Abs(x[i] - x2[i]) is var d && (d < 0.15f || (d > 0.4f && d < 0.6f)) || TooClose(x2, i, i - i % 6));
            }
            var t = new float[Batch * 6];
            var s = new float[Batch * 6];
            var label = new int[Batch];
            for (int i = 0; i < t.Length; i++) { t[i] = random.NextFloat(); s[i] = random.NextFloat() < 0.5f ? -1f : 1f; }
            for (int i = 0; i < label.Length; i++) label[i] = random.NextInt(6);
            return new ModelData().Set("x", x).Set("x2", x2).Set("t", t).Set("s", s).Set("label", label);
        }

        private static bool TooClose(float[] values, int i, int exampleStart)
        {
            for (int k = exampleStart; k < i; k++)
                if (Math.Abs(values[k] - values[i]) < 0.06f) return true;
            return false;
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void ParameterGradientsMatchFiniteDifferences(string name)
        {
            var c = Array.Find(Cases, k => k.Name == name);
            var model = ModelHarness.Create(ModelText(name), seed: 3);
            GradientCheck.Parameters(model, SafeBatch(c.Positive));
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void InputGradientsMatchFiniteDifferences(string name)
        {
            var c = Array.Find(Cases, k => k.Name == name);
            var model = ModelHarness.Create(ModelText(name), seed: 3);
            var batch = SafeBatch(c.Positive);
            GradientCheck.Inputs(model, batch, "o", "x");
            GradientCheck.Inputs(model, batch, "o", "x2");
        }
    }
}
