using System;
using System.Linq;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// The emitter fuses a dense layer with the relu right after it (forward: relu in the product's
    /// epilogue, batch 1: a matrix-vector kernel; backward: relu's derivative with the bias
    /// gradient). The fused code must give what the separate ops give.
    /// </summary>
    public class FusionTests
    {
        private const string Mlp = @"model FusedMlp {
    input x : float[37];
    target y : int<5>;
    layer fc1 = dense(24);
    layer fc2 = dense(13, bias: false);
    layer out = dense(5);
    let h1 = relu(fc1(x));
    let h2 = relu(fc2(h1));
    output logits = out(h2);
    output probs = softmax(logits);
    loss = cross_entropy(logits, y) + 1e-3 * l2(fc1.weight);
}";

        // The same network, with a multiplication by one between each layer and its relu: the
        // values are the same, but the relu no longer follows the layer, so nothing is fused.
        private static readonly string Unfused = Mlp.Replace("FusedMlp", "UnfusedMlp")
            .Replace("relu(fc1(x))", "relu(fc1(x) * 1)").Replace("relu(fc2(h1))", "relu(fc2(h1) * 1)");

        [Fact]
        public void TheEmitterFusesEachDenseLayerWithItsRelu()
        {
            var fused = ModelHarness.EmitSource(Mlp);
            Assert.Equal(2, Count(fused, "VectorMatrixKernels.MultiplyAddBiasRelu("));
            Assert.Equal(1, Count(fused, "VectorMatrixKernels.MultiplyAddBias("));
            Assert.Equal(2, Count(fused, "ActivationKernels.Relu("));
            // One backward pass: fc2's fused step once, fc1's under both branches of the
            // inputGradients flag, because only with input gradients does it compute d(loss)/dx.
            Assert.Equal(3, Count(fused, "ActivationKernels.ReluBackwardWithBiasGradient("));
            Assert.Equal(1, Count(fused, "if (inputGradients)"));

            var unfused = ModelHarness.EmitSource(Unfused);
            Assert.Equal(0, Count(unfused, "ActivationKernels."));
            Assert.Equal(0, Count(unfused, "MultiplyAddBiasRelu("));
        }

        [Theory]
        [InlineData(2)]
        [InlineData(9)]
        [InlineData(64)]
        public void FusedTrainingStepsGiveTheBitsOfTheSeparateOps(int batchSize)
        {
            var fused = ModelHarness.Create(Mlp, seed: 4);
            var unfused = ModelHarness.Create(Unfused, seed: 4);
            Assert.Equal(unfused.Parameters.ToArray(), fused.Parameters.ToArray());
            var batch = Batch(batchSize, seed: 5);

            for (int step = 0; step < 3; step++)
            {
                float lossFused = fused.TrainStep(batch), lossUnfused = unfused.TrainStep(batch);
                Assert.Equal(BitConverter.SingleToInt32Bits(lossUnfused), BitConverter.SingleToInt32Bits(lossFused));
                Assert.Equal(unfused.Gradients.ToArray(), fused.Gradients.ToArray());
                Assert.Equal(unfused.Parameters.ToArray(), fused.Parameters.ToArray());
            }

            float[] fusedLogits = new float[batchSize * 5], fusedProbs = new float[batchSize * 5];
            float[] logits = new float[batchSize * 5], probs = new float[batchSize * 5];
            fused.Forward(batch.Set("logits", fusedLogits).Set("probs", fusedProbs), training: false);
            unfused.Forward(batch.Set("logits", logits).Set("probs", probs), training: false);
            Assert.Equal(logits, fusedLogits);
            Assert.Equal(probs, fusedProbs);
        }

        [Fact]
        public void OneExampleGivesWhatItGivesInsideABatch()
        {
            var model = ModelHarness.Create(Mlp, seed: 6);
            const int batchSize = 7;
            var batch = Batch(batchSize, seed: 8);
            float[] logits = new float[batchSize * 5], probs = new float[batchSize * 5];
            model.Forward(batch.Set("logits", logits).Set("probs", probs), training: false);

            var x = batch.Floats("x").ToArray();
            for (int i = 0; i < batchSize; i++)
            {
                float[] oneLogits = new float[5], oneProbs = new float[5];
                model.Forward(new ModelData().Set("x", x.AsSpan(i * 37, 37).ToArray()).Set("logits", oneLogits).Set("probs", oneProbs), training: false);
                for (int k = 0; k < 5; k++)
                {
                    // The matrix-vector kernel adds in another order than the batched one: ulps apart, no more.
                    Assert.Equal(logits[i * 5 + k], oneLogits[k], 5e-6f);
                    Assert.Equal(probs[i * 5 + k], oneProbs[k], 5e-6f);
                }
            }
        }

        [Fact]
        public void ALayerOutputReadAfterItsReluGetsBothGradients()
        {
            // z feeds the relu and, later, the output: the fused backward step must see both gradients.
            const string text = @"model FanOut {
    input x : float[6];
    input x2 : float[6];
    target t : float[6];
    target label : int<6>;
    target s : float[6];
    layer fc = dense(6);
    let z = fc(x);
    let h = relu(z);
    output o = h * x2 + 0.5 * z;
    loss = sum(square(o));
}";
            Assert.Contains("ReluBackwardWithBiasGradient(", ModelHarness.EmitSource(text));
            var model = ModelHarness.Create(text, seed: 3);
            var batch = OpGradientTests.SafeBatch(positive: false);
            GradientCheck.Parameters(model, batch);
            GradientCheck.Inputs(model, batch, "o", "x");
        }

        private static ModelData Batch(int batchSize, int seed)
        {
            var random = new ModelRandom((ulong)seed);
            var x = new float[batchSize * 37];
            random.FillUniform(x, -1f, 1f);
            var y = new int[batchSize];
            for (int i = 0; i < batchSize; i++) y[i] = random.NextInt(5);
            return new ModelData().Set("x", x).Set("y", y);
        }

        private static int Count(string text, string part)
        {
            int count = 0;
            for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
            return count;
        }
    }
}
