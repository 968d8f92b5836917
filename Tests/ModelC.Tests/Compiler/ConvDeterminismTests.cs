using System;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// conv2d shares a batch's examples across threads and sums the weight gradient per fixed group
    /// of examples; the gradients, input gradients and trained parameters must not depend on how many
    /// threads took part. The batch of 70 leaves a partial last group.
    /// </summary>
    [Collection("KernelThreads")]
    public sealed class ConvDeterminismTests
    {
        private const string Model = @"
model SmallLeNet {
    input  x : float[784];
    target y : int<10>;
    layer conv1 = conv2d(6, 5, padding: 2);
    layer pool1 = maxpool2d(2);
    layer conv2 = conv2d(16, 5);
    layer pool2 = maxpool2d(2);
    layer fc = dense(10);
    let h1 = pool1(relu(conv1(reshape(x, [1, 28, 28]))));
    let h2 = pool2(relu(conv2(h1)));
    output logits = fc(flatten(h2));
    loss = cross_entropy(logits, y);
    train { optimizer = adam(lr: 1e-3); }
}";

        private const int Batch = 70;

        [Fact]
        public void OneTwoAndThreeThreadsGiveBitIdenticalGradientsAndSteps()
        {
            var one = Run(parts: 1);
            foreach (int parts in new[] { 2, 3, 2 })
            {
                var other = Run(parts);
                Assert.Equal(one.Loss, other.Loss);
                Assert.Equal(one.Gradients, other.Gradients);
                Assert.Equal(one.InputGradients, other.InputGradients);
                Assert.Equal(one.Parameters, other.Parameters);
            }
        }

        private static (float Loss, float[] Gradients, float[] InputGradients, float[] Parameters) Run(int parts)
        {
            int saved = KernelThreads.Parts;
            KernelThreads.Parts = parts;
            try
            {
                var model = ModelHarness.Create(Model, seed: 3);
                var random = new Random(17);
                var x = new float[Batch * 784];
                for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
                var y = new int[Batch];
                for (int i = 0; i < y.Length; i++) y[i] = random.Next(10);
                var batch = new ModelData().Set("x", x).Set("y", y);
                var xGrad = new float[x.Length];

                float loss = model.ForwardBackward(batch, new ModelData().Set("x", xGrad));
                var gradients = model.Gradients.ToArray();
                Assert.Contains(gradients, g => g != 0f);
                model.TrainStep(batch);
                model.TrainStep(batch);
                return (loss, gradients, xGrad, model.Parameters.ToArray());
            }
            finally
            {
                KernelThreads.Parts = saved;
            }
        }
    }
}
