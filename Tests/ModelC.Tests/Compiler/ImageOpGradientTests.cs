using System;
using System.Collections.Generic;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Finite-difference gradient checks of the image and normalization ops (conv2d, pooling,
    /// flatten of images, layernorm) on odd, non-square images with strides and paddings.
    /// </summary>
    public class ImageOpGradientTests
    {
        private const int Batch = 2;
        private const int Channels = 2, Height = 5, Width = 6;

        /// <summary>name, layer declarations, output expression over a = x + w (an image [2, 5, 6]), loss (null: sum(square(o))).</summary>
        public static readonly (string Name, string Declarations, string Output, string? Loss)[] Cases =
        {
            ("conv2d", "layer c = conv2d(3, 3);", "c(a)", null),
            ("conv2d 1x1", "layer c = conv2d(4, 1);", "c(a)", null),
            ("conv2d stride 2 padding 1", "layer c = conv2d(3, 3, stride: 2, padding: 1);", "c(a)", null),
            ("conv2d same", "layer c = conv2d(2, 3, padding: same);", "c(a)", null),
            ("conv2d same even kernel", "layer c = conv2d(2, 4, padding: same);", "c(a)", null),
            ("conv2d no bias stride 3 padding 2", "layer c = conv2d(2, 2, stride: 3, padding: 2, bias: false);", "c(a)", null),
            ("conv2d 5x5 padding 2", "layer c = conv2d(2, 5, padding: 2);", "c(a)", null),
            ("conv2d shared twice", "layer c = conv2d(2, 3, padding: same);", "c(tanh(c(a)))", null),
            ("conv2d chain", "layer c1 = conv2d(3, 3, padding: 1); layer c2 = conv2d(2, 2, stride: 2);", "c2(tanh(c1(a)))", null),
            ("maxpool2d", "layer p = maxpool2d(2); layer c = conv2d(2, 1);", "c(p(x))", null),
            ("maxpool2d odd stride", "layer p = maxpool2d(3, stride: 2); layer c = conv2d(2, 1);", "c(p(x))", null),
            ("maxpool2d overlapping", "layer p = maxpool2d(2, stride: 1); layer c = conv2d(2, 1);", "c(p(x))", null),
            ("avgpool2d", "layer p = avgpool2d(2);", "p(a)", null),
            ("avgpool2d odd stride", "layer p = avgpool2d(3, stride: 2);", "p(a * a)", null),
            ("flatten image", "layer c = conv2d(2, 3); layer fc = dense(3);", "fc(flatten(c(a)))", null),
            ("layernorm", "layer ln = layernorm();", "ln(a)", "sum(square(o - 0.3 * a))"),
            ("layernorm vector", "layer ln = layernorm(); layer fc = dense(7);", "ln(fc(flatten(a)))", "sum(o * o * o)"),
            ("conv1d", "layer c = conv1d(3, 3);", "c(reshape(a, [2, 30]))", null),
            ("conv1d stride 2 padding 1 no bias", "layer c = conv1d(2, 4, stride: 2, padding: 1, bias: false);", "c(reshape(a, [4, 15]))", null),
            ("conv1d same even kernel", "layer c = conv1d(2, 4, padding: same);", "c(reshape(a, [2, 30]))", null),
            ("maxpool1d", "layer p = maxpool1d(3, stride: 2); layer c = conv1d(2, 1);", "c(p(reshape(x, [2, 30])))", null),
            ("avgpool1d", "layer p = avgpool1d(4);", "p(reshape(a * a, [2, 30]))", null),
            ("global_maxpool1d", "layer p = global_maxpool1d(); layer fc = dense(3);", "fc(p(reshape(x, [4, 15])))", null),
            ("global_avgpool2d", "layer c = conv2d(3, 2); layer p = global_avgpool2d();", "p(c(a))", null),
            ("global_maxpool2d", "layer p = global_maxpool2d(); layer fc = dense(3);", "fc(p(x))", null),
            ("adaptive_avgpool2d uneven windows", "layer p = adaptive_avgpool2d(4);", "p(a * a)", null),
            ("adaptive_avgpool2d dividing", "layer p = adaptive_avgpool2d(1); layer c = conv2d(2, 2);", "p(c(a))", null),
            ("upsample2d", "layer u = upsample2d(2); layer c = conv2d(2, 3, stride: 2);", "c(u(a))", null),
            ("conv_transpose2d", "layer t = conv_transpose2d(3, 3);", "t(a)", null),
            ("conv_transpose2d padding 1", "layer t = conv_transpose2d(2, 3, padding: 1);", "t(a)", null),
            ("conv_transpose2d stride 2 output_padding 1", "layer t = conv_transpose2d(2, 3, stride: 2, padding: 1, output_padding: 1);", "t(a)", null),
            ("conv_transpose2d kernel 4 stride 2 no bias", "layer t = conv_transpose2d(2, 4, stride: 2, padding: 1, bias: false);", "t(tanh(a))", null),
            ("generator-like", "layer t1 = conv_transpose2d(3, 4, stride: 2, padding: 1); layer t2 = conv_transpose2d(1, 3, padding: 1);",
                "t2(tanh(t1(a)))", null),
            ("lenet-like", "layer c1 = conv2d(3, 3, padding: 1); layer p = avgpool2d(2); layer c2 = conv2d(4, 2); layer fc = dense(3);",
                "fc(flatten(tanh(c2(p(tanh(c1(a)))))))", null),
        };

        public static IEnumerable<object[]> CaseNames()
        {
            foreach (var c in Cases) yield return new object[] { c.Name };
        }

        public static string ModelText(string name)
        {
            var c = Array.Find(Cases, k => k.Name == name);
            return $@"model ImageCase {{
    input x : float[{Channels}, {Height}, {Width}];
    param w : float[{Channels}, {Height}, {Width}] = uniform(-0.005, 0.005);
    {c.Declarations}
    let a = x + w;
    output o = {c.Output};
    loss = {c.Loss ?? "sum(square(o))"};
}}";
        }

        /// <summary>
        /// Every example is a permutation of values 0.05 apart in [-1.5, 1.5): no pooling window
        /// has a near tie, so moving one value by the finite-difference step never changes which
        /// element is the maximum.
        /// </summary>
        public static ModelData DistinctImages(int seed = 1, int batch = Batch)
        {
            var random = new ModelRandom(seed);
            int size = Channels * Height * Width;
            var x = new float[batch * size];
            for (int b = 0; b < batch; b++)
            {
                var order = new int[size];
                for (int i = 0; i < size; i++) order[i] = i;
                for (int i = size - 1; i > 0; i--) { int j = random.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
                for (int i = 0; i < size; i++) x[b * size + i] = (order[i] - size / 2) * 0.05f;
            }
            return new ModelData().Set("x", x);
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void ParameterGradientsMatchFiniteDifferences(string name)
        {
            var model = ModelHarness.Create(ModelText(name), seed: 3);
            GradientCheck.Parameters(model, DistinctImages());
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void InputGradientsMatchFiniteDifferences(string name)
        {
            var model = ModelHarness.Create(ModelText(name), seed: 3);
            GradientCheck.Inputs(model, DistinctImages(), "o", "x");
        }
    }
}
