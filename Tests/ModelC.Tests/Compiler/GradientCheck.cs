using System;
using System.Linq;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Central finite differences against the generated backward pass, in float32.
    /// With step h = 1e-2 the truncation error is about h²/6·f''' ≈ 2e-5 and the rounding error
    /// about ulp(loss)·10/h ≈ 1e-4 for losses of order 1, so analytic and numeric gradients are
    /// compared to 2e-3 of the gradient's scale: a wrong rule (a missing factor, a sign, a
    /// dropped broadcast sum) is off by far more than that.
    /// </summary>
    public static class GradientCheck
    {
        private const float Step = 1e-2f;

        public static void AssertClose(double numeric, double analytic, double scale, string what)
        {
            double tolerance = 2e-3 * Math.Max(scale, 1e-2) + 1e-5;
            Assert.True(Math.Abs(numeric - analytic) <= tolerance,
                $"{what}: finite difference {numeric:R}, backward {analytic:R} (tolerance {tolerance:E2})");
        }

        /// <summary>d(batch loss)/d(every parameter) from ForwardBackward against differences of Loss.</summary>
        public static void Parameters(IModel model, ModelData batch)
        {
            model.ForwardBackward(batch);
            var analytic = model.Gradients.ToArray();
            var parameters = model.Parameters;
            double scale = analytic.Length == 0 ? 0 : analytic.Max(Math.Abs);
            foreach (var info in model.ParameterInfos)
            {
                for (int k = 0; k < info.Length; k++)
                {
                    int i = info.Offset + k;
                    float saved = parameters[i];
                    parameters[i] = saved + Step;
                    double up = model.Loss(batch);
                    parameters[i] = saved - Step;
                    double down = model.Loss(batch);
                    parameters[i] = saved;
                    AssertClose((up - down) / (2 * Step), analytic[i], scale, $"d(loss)/d({info.Name}[{k}])");
                }
            }
        }

        /// <summary>
        /// Input gradients from Backward, driven by output gradient r: d(sum r·output)/d(input),
        /// against differences of the same sum through Forward.
        /// </summary>
        public static void Inputs(IModel model, ModelData batch, string output, string input, int seed = 7)
        {
            var outputInfo = model.Outputs.Single(o => o.Name == output);
            int batchSize = batch.Floats(input).Length / model.Inputs.Single(i => i.Name == input).Size;
            var values = new float[batchSize * outputInfo.Size];
            var weights = new float[values.Length];
            new ModelRandom(seed).FillUniform(weights, -1f, 1f);
            var outputs = new ModelData();
            var data = batch;
            foreach (var o in model.Outputs) data.Set(o.Name, new float[batchSize * o.Size]);

            model.Forward(data, training: true);
            var inputGradient = new float[batch.Floats(input).Length];
            outputs.Set(output, weights);
            model.Backward(outputs, new ModelData().Set(input, inputGradient));
            double scale = inputGradient.Max(Math.Abs);

            var x = batch.Floats(input);
            for (int i = 0; i < x.Length; i++)
            {
                float saved = x[i];
                x[i] = saved + Step;
                double up = WeightedOutput(model, data, output, weights);
                x[i] = saved - Step;
                double down = WeightedOutput(model, data, output, weights);
                x[i] = saved;
                AssertClose((up - down) / (2 * Step), inputGradient[i], scale, $"d(sum r·{output})/d({input}[{i}])");
            }
        }

        private static double WeightedOutput(IModel model, ModelData data, string output, float[] weights)
        {
            model.Forward(data, training: false);
            var values = data.Floats(output);
            double sum = 0;
            for (int i = 0; i < values.Length; i++) sum += (double)values[i] * weights[i];
            return sum;
        }
    }
}
