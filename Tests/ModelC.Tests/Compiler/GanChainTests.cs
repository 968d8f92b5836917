using System;
using System.Linq;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Two generated models feeding each other, as in a GAN: the generator's output is the
    /// discriminator's input; the discriminator's ForwardBackward gives d(loss)/d(its input), and
    /// that drives the generator's Backward. The generator's gradients must be those of the chained
    /// loss, checked against finite differences of discriminator.Loss(generator.Forward(z)).
    /// </summary>
    public class GanChainTests
    {
        private const string Models = @"
model Generator {
    input z : float[3];
    layer g1 = dense(6);
    layer g2 = dense(2);
    output fake = g2(tanh(g1(z)));
}

model Discriminator {
    input x : float[2];
    target real : float[1];
    layer d1 = dense(8);
    layer d2 = dense(1);
    output score = d2(tanh(d1(x)));
    loss = bce_logits(score, real);
}";

        private const int Batch = 5;

        [Fact]
        public void GeneratorGradientsThroughTheDiscriminatorMatchFiniteDifferences()
        {
            var generator = ModelHarness.Create(Models, seed: 1, modelName: "Generator");
            var discriminator = ModelHarness.Create(Models, seed: 2, modelName: "Discriminator");
            var z = new float[Batch * 3];
            new ModelRandom(11).FillNormal(z, 0f, 1f);
            var fake = new float[Batch * 2];
            var noise = new ModelData().Set("z", z).Set("fake", fake);
            // The generator wants its samples called real.
            var judged = new ModelData().Set("x", fake).Set("real", Enumerable.Repeat(1f, Batch).ToArray());

            generator.Forward(noise, training: true);
            var fakeGradient = new float[fake.Length];
            discriminator.ForwardBackward(judged, new ModelData().Set("x", fakeGradient));
            generator.Backward(new ModelData().Set("fake", fakeGradient), null);
            var analytic = generator.Gradients.ToArray();
            Assert.Contains(analytic, g => Math.Abs(g) > 1e-3);

            double ChainedLoss()
            {
                generator.Forward(noise, training: false);
                return discriminator.Loss(judged);
            }
            double scale = analytic.Max(Math.Abs);
            for (int i = 0; i < analytic.Length; i++)
                GradientCheck.AssertClose(GradientCheck.Derivative(() => generator.Parameters, i, ChainedLoss), analytic[i], scale, $"d(discriminator loss)/d(generator parameter {i})");
        }
    }
}
