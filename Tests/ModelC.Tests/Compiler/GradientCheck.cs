using System;
using System.Linq;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Central finite differences against the generated backward pass, in float32, with one step
    /// of Richardson extrapolation: (4·D(h/2) - D(h)) / 3 cancels the h² term, leaving a truncation
    /// error of order h⁴ (negligible at h = 1e-2 even for 1/x near 0.2), while the rounding error
    /// stays near 3·ulp(loss)·10/h, about 1e-4 for losses of order 1. So analytic and numeric
    /// gradients are compared to 2e-3 of the gradient's scale: a wrong rule (a missing factor,
    /// a sign, a dropped broadcast sum) is off by far more than that.
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

        /// <summary>
        /// d(batch loss)/d(every parameter) from ForwardBackward against differences of Loss, or of
        /// the training-mode loss when <paramref name="training"/> (batchnorm's batch statistics).
        /// </summary>
        public static void Parameters(IModel model, ModelData batch, bool training = false)
        {
            model.ForwardBackward(batch);
            var analytic = model.Gradients.ToArray();
            double scale = analytic.Length == 0 ? 0 : analytic.Max(Math.Abs);
            foreach (var info in model.ParameterInfos)
            {
                for (int k = 0; k < info.Length; k++)
                {
                    int i = info.Offset + k;
                    var numeric = Derivative(() => model.Parameters, i, () => training ? model.ForwardBackward(batch) : model.Loss(batch));
                    AssertClose(numeric, analytic[i], scale, $"d(loss)/d({info.Name}[{k}])");
                }
            }
        }

        /// <summary>
        /// Input gradients from Backward, driven by output gradient r: d(sum r·output)/d(input),
        /// against differences of the same sum through Forward.
        /// </summary>
        public static void Inputs(IModel model, ModelData batch, string output, string input, int seed = 7, bool training = false)
        {
            var outputInfo = model.Outputs.Single(o => o.Name == output);
            int batchSize = batch.Floats(input).Length / model.Inputs.Single(i => i.Name == input).Size;
            var weights = new float[batchSize * outputInfo.Size];
            new ModelRandom(seed).FillUniform(weights, -1f, 1f);
            foreach (var o in model.Outputs) batch.Set(o.Name, new float[batchSize * o.Size]);

            model.Forward(batch, training: true);
            var inputGradient = new float[batch.Floats(input).Length];
            model.Backward(new ModelData().Set(output, weights), new ModelData().Set(input, inputGradient));
            double scale = inputGradient.Max(Math.Abs);

            for (int i = 0; i < inputGradient.Length; i++)
            {
                var numeric = Derivative(() => batch.Floats(input), i, () => WeightedOutput(model, batch, output, weights, training));
                AssertClose(numeric, inputGradient[i], scale, $"d(sum r·{output})/d({input}[{i}])");
            }
        }

        /// <summary>Richardson-extrapolated central difference of f with respect to values()[i].</summary>
        internal static double Derivative(Func<Span<float>> values, int i, Func<double> f)
        {
            float saved = values()[i];
            double Central(float h)
            {
                float up = saved + h, down = saved - h;
                values()[i] = up;
                double fUp = f();
                values()[i] = down;
                double fDown = f();
                values()[i] = saved;
                // Divide by the step actually taken after rounding to float.
                return (fUp - fDown) / ((double)up - down);
            }
            double wide = Central(Step), narrow = Central(Step / 2);
            return (4 * narrow - wide) / 3;
        }

        private static double WeightedOutput(IModel model, ModelData data, string output, float[] weights, bool training)
        {
            model.Forward(data, training);
            var values = data.Floats(output);
            double sum = 0;
            for (int i = 0; i < values.Length; i++) sum += (double)values[i] * weights[i];
            return sum;
        }
    }
}
