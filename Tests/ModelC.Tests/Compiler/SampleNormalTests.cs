using System;
using System.Linq;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// sample_normal(mu, logvar) = mu + exp(logvar / 2) · eps: gradients with eps held fixed (the
    /// generator's state restored before every evaluation), the distribution of eps, determinism for
    /// a seed, and the mean in inference mode.
    /// </summary>
    public class SampleNormalTests
    {
        private const string Vae = @"
model TinyVae {
    input x : float[4];
    layer enc = dense(3);
    layer muHead = dense(2);
    layer logvarHead = dense(2);
    layer dec = dense(4);
    let h = tanh(enc(x));
    output mu = muHead(h);
    output logvar = logvarHead(h);
    output z = sample_normal(mu, logvar);
    output recon = dec(z);
    loss = mse(recon, x, reduce: sum) + kl_normal(mu, logvar);
}";

        private static ModelData Batch(int examples, int seed = 2)
        {
            var x = new float[examples * 4];
            new ModelRandom(seed).FillUniform(x, -1f, 1f);
            return new ModelData().Set("x", x).Set("mu", new float[examples * 2]).Set("logvar", new float[examples * 2])
                .Set("z", new float[examples * 2]).Set("recon", new float[examples * 4]);
        }

        [Fact]
        public void ParameterGradientsMatchFiniteDifferencesWithEpsFixed()
        {
            var model = ModelHarness.Create(Vae, seed: 4);
            var batch = Batch(3);
            var state = model.Random.GetState();
            model.ForwardBackward(batch);
            var analytic = model.Gradients.ToArray();
            double scale = analytic.Max(Math.Abs);
            double SameEpsLoss()
            {
                model.Random.SetState(state);
                return model.ForwardBackward(batch);
            }
            for (int i = 0; i < analytic.Length; i++)
                GradientCheck.AssertClose(GradientCheck.Derivative(() => model.Parameters, i, SameEpsLoss), analytic[i], scale, $"d(loss)/d(parameter {i})");
            // The logvar head gets a gradient through eps as well as through the KL term.
            var logvarWeight = model.ParameterInfos.Single(p => p.Name == "logvarHead.weight");
            Assert.Contains(analytic.Skip(logvarWeight.Offset).Take(logvarWeight.Length), g => Math.Abs(g) > 1e-3);
        }

        [Fact]
        public void InputGradientsMatchFiniteDifferencesWithEpsFixed()
        {
            var model = ModelHarness.Create(Vae, seed: 4);
            var batch = Batch(3);
            var weights = new float[3 * 4];
            new ModelRandom(9).FillUniform(weights, -1f, 1f);
            var state = model.Random.GetState();
            model.Forward(batch, training: true);
            var inputGradient = new float[3 * 4];
            model.Backward(new ModelData().Set("recon", weights), new ModelData().Set("x", inputGradient));
            double scale = inputGradient.Max(Math.Abs);
            double WeightedRecon()
            {
                model.Random.SetState(state);
                model.Forward(batch, training: true);
                var recon = batch.Floats("recon");
                double sum = 0;
                for (int i = 0; i < recon.Length; i++) sum += (double)recon[i] * weights[i];
                return sum;
            }
            for (int i = 0; i < inputGradient.Length; i++)
                GradientCheck.AssertClose(GradientCheck.Derivative(() => batch.Floats("x"), i, WeightedRecon), inputGradient[i], scale, $"d(sum r·recon)/d(x[{i}])");
        }

        [Fact]
        public void TrainingDrawsStandardNormalNoiseAndInferenceReturnsTheMean()
        {
            var model = ModelHarness.Create(Vae, seed: 4);
            const int examples = 4000;
            var batch = Batch(examples);
            model.Forward(batch, training: true);
            var mu = batch.Floats("mu").ToArray();
            var logvar = batch.Floats("logvar").ToArray();
            var eps = batch.Floats("z").ToArray().Select((z, i) => (z - mu[i]) / Math.Exp(logvar[i] / 2)).ToArray();
            double mean = eps.Average(), variance = eps.Select(e => (e - mean) * (e - mean)).Average();
            // 8000 draws: the standard error of the mean is 0.011, of the variance 0.016.
            Assert.InRange(mean, -0.05, 0.05);
            Assert.InRange(variance, 0.93, 1.07);

            model.Forward(batch, training: false);
            Assert.Equal(batch.Floats("mu").ToArray(), batch.Floats("z").ToArray());
        }

        [Fact]
        public void SamplesAreDeterministicForASeed()
        {
            float[] Draw(int seed)
            {
                var model = ModelHarness.Create(Vae, seed: seed);
                var batch = Batch(5);
                model.Forward(batch, training: true);
                model.Forward(batch, training: true);
                return batch.Floats("z").ToArray();
            }
            Assert.Equal(Draw(1), Draw(1));
            Assert.NotEqual(Draw(1), Draw(2));
        }
    }
}
