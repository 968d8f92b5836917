using System;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Dense products large enough to be split across threads give the same bits as on one thread,
    /// every time: the split is by output columns, fixed by the sizes, and no sum changes order.
    /// </summary>
    [Collection("KernelThreads")]
    public sealed class ParallelDeterminismTests
    {
        private const string Model = @"
model Wide {
    input  x : float[784];
    target y : int<10>;
    layer fc1 = dense(256);
    layer fc2 = dense(128);
    layer out = dense(10);
    output logits = out(relu(fc2(relu(fc1(x)))));
    loss = cross_entropy(logits, y) + 1e-4 * l2(fc1.weight);
}";

        // Adam over 200,000 parameters and a clipped norm: both are shared by the kernel threads.
        private const string AdamModel = @"
model WideAdam {
    input  x : float[784];
    target y : int<10>;
    layer fc1 = dense(256);
    layer out = dense(10);
    output logits = out(relu(fc1(x)));
    loss = cross_entropy(logits, y) + 1e-4 * l2(fc1.weight);
    train { optimizer = adam(lr: 1e-3); clip_norm = 0.05; }
}";

        private const int Batch = 96;

        [Fact]
        public void TwoAndThreeThreadAdamStepsWithClippingAreBitIdenticalToOneThread()
        {
            var one = Run(parts: 1, AdamModel);
            foreach (int parts in new[] { 2, 3 })
            {
                var more = Run(parts, AdamModel);
                Assert.Equal(one.Loss, more.Loss);
                Assert.Equal(one.Gradients, more.Gradients);
                Assert.Equal(one.Parameters, more.Parameters);
            }
        }

        [Fact]
        public void TwoThreadTrainingStepsAreBitIdenticalToOneThreadAndAcrossRuns()
        {
            var (loss, gradients, inputGradients, parameters) = Run(parts: 1);
            for (int run = 0; run < 4; run++)
            {
                var two = Run(parts: 2);
                Assert.Equal(loss, two.Loss);
                Assert.Equal(gradients, two.Gradients);
                Assert.Equal(inputGradients, two.InputGradients);
                Assert.Equal(parameters, two.Parameters);
            }
        }

        private static (float Loss, float[] Gradients, float[] InputGradients, float[] Parameters) Run(int parts, string model = Model)
        {
            int saved = KernelThreads.Parts;
            KernelThreads.Parts = parts;
            try
            {
                var trained = ModelHarness.Create(model, seed: 5);
                var random = new Random(11);
                var x = new float[Batch * 784];
                for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
                var y = new int[Batch];
                for (int i = 0; i < y.Length; i++) y[i] = random.Next(10);
                var batch = new ModelData().Set("x", x).Set("y", y);
                var xGrad = new float[x.Length];

                float loss = trained.ForwardBackward(batch, new ModelData().Set("x", xGrad));
                var gradients = trained.Gradients.ToArray();
                // Two optimizer steps: the forward pass of the second sees the first's update.
                trained.TrainStep(batch);
                trained.TrainStep(batch);
                return (loss, gradients, xGrad, trained.Parameters.ToArray());
            }
            finally
            {
                KernelThreads.Parts = saved;
            }
        }
    }
}
