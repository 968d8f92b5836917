using System.Linq;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// reshape and flatten are views: the plan places them on their input's values, the passes
    /// copy nothing, and gradients still add up where the view and its input are both read.
    /// </summary>
    public class ReshapeViewTests
    {
        private const string Viewed = @"model V {
    input x : float[2, 3];
    layer fc = dense(4);
    let h = fc(x);
    output a = h;
    output b = reshape(h, [8]);
    output c = tanh(flatten(h)) + flatten(h);
}";

        // The same values through copies: a product with one is not a view.
        private static readonly string Copied = Viewed.Replace("model V", "model C")
            .Replace("reshape(h, [8])", "reshape(h * 1, [8])").Replace("flatten(h)", "flatten(h * 1)");

        [Fact]
        public void AReshapeSharesItsInputsPlaceAndEmitsNoCopy()
        {
            var model = ModelCompiler.Analyze("v.model", Viewed, null, new DiagnosticBag("v.model")).Single();
            var views = model.Plan.ForwardNodes.OfType<ReshapeNode>().ToList();
            Assert.Equal(3, views.Count);
            Assert.All(views, v => Assert.True(model.Plan.IsView(v, v.X)));
            Assert.All(views, v => Assert.Equal(model.Plan.Offset(v.X), model.Plan.Offset(v)));

            string source = ModelHarness.EmitSource(Viewed);
            Assert.Equal(3, source.Split("nothing to copy").Length - 1);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(5)]
        public void ViewsGiveTheValuesAndGradientsOfCopies(int batch)
        {
            IModel viewed = ModelHarness.Create(Viewed, seed: 4), copied = ModelHarness.Create(Copied, seed: 4);
            var random = new System.Random(9);
            float[] x = Enumerable.Range(0, batch * 6).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] Gradient(int size) => Enumerable.Range(0, batch * size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] aGrad = Gradient(8), bGrad = Gradient(8), cGrad = Gradient(8);

            var results = new[] { viewed, copied }.Select(model =>
            {
                var data = new ModelData().Set("x", x).Set("a", new float[batch * 8]).Set("b", new float[batch * 8]).Set("c", new float[batch * 8]);
                model.Forward(data, training: true);
                var xGrad = new float[batch * 6];
                model.Backward(new ModelData().Set("a", aGrad).Set("b", bGrad).Set("c", cGrad), new ModelData().Set("x", xGrad));
                return (Outputs: data.Floats("a").ToArray().Concat(data.Floats("b").ToArray()).Concat(data.Floats("c").ToArray()).ToArray(),
                        Gradients: model.Gradients.ToArray(), XGrad: xGrad);
            }).ToList();

            // The same sums, added in another order.
            AssertClose(results[1].Outputs, results[0].Outputs);
            AssertClose(results[1].Gradients, results[0].Gradients);
            AssertClose(results[1].XGrad, results[0].XGrad);
            Assert.NotEqual(0f, results[0].XGrad.Max(System.Math.Abs));
        }

        private static void AssertClose(float[] expected, float[] actual)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(System.Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + System.Math.Abs(expected[i])), $"[{i}]: {actual[i]}, expected {expected[i]}");
        }
    }
}
