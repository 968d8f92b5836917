using System;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>Once the arenas and the optimizer state exist, training steps and inference allocate nothing.</summary>
    [Collection("KernelThreads")]
    public sealed class SteadyStateAllocationTests
    {
        private const string Model = @"
model Mlp {
    input  x : float[784];
    target y : int<10>;
    layer fc1 = dense(128);
    layer fc2 = dense(64);
    layer out = dense(10);
    output logits = out(dropout(relu(fc2(relu(fc1(x)))), 0.2));
    output probs = softmax(logits);
    loss = cross_entropy(logits, y) + 1e-4 * l2(fc1.weight, fc2.weight);
    train { optimizer = adam(lr: 1e-3); clip_norm = 5.0; }
}";

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void TrainStepsAndForwardCallsAllocateNothing(int parts)
        {
            int saved = KernelThreads.Parts;
            KernelThreads.Parts = parts;
            try
            {
                var model = ModelHarness.Create(Model, seed: 2);
                model.GetType().GetProperty("ReusePackedWeights")!.SetValue(model, true);
                var random = new Random(4);
                var x = new float[64 * 784];
                for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
                var y = new int[64];
                var batch = new ModelData().Set("x", x).Set("y", y);
                var one = new ModelData().Set("x", x.AsMemory(0, 784)).Set("logits", new float[10]).Set("probs", new float[10]);
                // Batch 64 reads weights packed once (ReusePackedWeights), which every training step makes it pack again.
                var many = new ModelData().Set("x", x).Set("logits", new float[640]).Set("probs", new float[640]);
                for (int i = 0; i < 5; i++) { model.TrainStep(batch); model.Forward(one, training: false); model.Forward(many, training: false); }

                // The fewest bytes of five batches of 20: on a loaded machine a tier-1 recompilation or
                // on-stack replacement can land inside one batch and allocate on this thread (3,984 and
                // 7,888 bytes seen at load 20+), while an allocation of the step's own shows in every batch.
                long fewest = long.MaxValue;
                for (int round = 0; round < 5 && fewest > 0; round++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 20; i++) { model.TrainStep(batch); model.Forward(one, training: false); model.Forward(many, training: false); }
                    fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
                }

                Assert.Equal(0, fewest);
            }
            finally
            {
                KernelThreads.Parts = saved;
            }
        }
    }
}
