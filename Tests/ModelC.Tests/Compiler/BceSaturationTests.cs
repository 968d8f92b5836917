using System;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// bce on a sigmoid that has rounded to exactly 0 or 1: each log is clamped at -100 as
    /// PyTorch's BCELoss does, so the loss is 0 or 100 per element and training keeps going
    /// instead of writing NaN into every parameter.
    /// </summary>
    public class BceSaturationTests
    {
        private const string Saturated = @"model Saturated {
    input  x : float[2];
    target y : float[1];

    layer fc = dense(1);

    output p = sigmoid(fc(x));

    loss = bce(p, y);

    train { optimizer = sgd(lr: 0.1); }
}";

        /// <summary>Logits of ±200: float32's sigmoid is exactly 1 and exactly 0 there.</summary>
        private static (IModel Model, ModelData Batch) SaturatedBatch()
        {
            var model = ModelHarness.Create(Saturated);
            new float[] { 200f, 0f, 0f }.CopyTo(model.Parameters);
            var batch = new ModelData();
            batch.Set("x", new float[] { 1, 0, 1, 0, -1, 0, -1, 0 });
            batch.Set("y", new float[] { 1, 0, 0, 1 });
            batch.Set("p", new float[4]);
            return (model, batch);
        }

        [Fact]
        public void SaturatedSigmoidCostsZeroWhenRightAndOneHundredWhenWrong()
        {
            var (model, batch) = SaturatedBatch();

            model.Forward(batch, training: false);

            Assert.Equal(new float[] { 1, 1, 0, 0 }, batch.Floats("p").ToArray());
            Assert.Equal(50f, model.Loss(batch));
        }

        [Fact]
        public void TrainStepOnASaturatedSigmoidKeepsTheParametersFinite()
        {
            var (model, batch) = SaturatedBatch();

            float loss = model.TrainStep(batch);

            Assert.Equal(50f, loss);
            // sigmoid's derivative is exactly 0 at a saturated output, so PyTorch's gradient is 0 too.
            Assert.Equal(new float[] { 0, 0, 0 }, model.Gradients.ToArray());
            Assert.Equal(new float[] { 200f, 0f, 0f }, model.Parameters.ToArray());
        }
    }
}
