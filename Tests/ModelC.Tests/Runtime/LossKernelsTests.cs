using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// LossKernels' cross_entropy against a double-precision reference (the loss and the softmax it
/// keeps, within float rounding), its gradient against the generator's loop on the kept exps
/// (bit for bit), and the same bits on one thread, two and three.
/// </summary>
[Collection("KernelThreads")]
public sealed class LossKernelsTests
{
    [Theory]
    [InlineData(32, 64, 60)]
    [InlineData(3, 5, 7)]
    [InlineData(9, 40, 17)]
    public void CrossEntropyMatchesTheReferenceAtAnyThreadCount(int batch, int steps, int classes)
    {
        var random = new Random(classes);
        int rows = batch * steps;
        var scores = new float[rows * classes];
        for (int i = 0; i < scores.Length; i++) scores[i] = (float)(random.NextDouble() * 16 - 8);
        var labels = new int[rows];
        for (int i = 0; i < rows; i++) labels[i] = random.Next(classes);
        var lossGradients = new float[batch];
        for (int b = 0; b < batch; b++) lossGradients[b] = (float)random.NextDouble();
        var start = new float[rows * classes];
        for (int i = 0; i < start.Length; i++) start[i] = (float)(random.NextDouble() - 0.5);

        // The loss and softmax in double precision.
        var referenceLosses = new double[batch];
        var referenceSoftmax = new double[rows * classes];
        for (int b = 0; b < batch; b++)
        {
            double total = 0;
            for (int r = 0; r < steps; r++)
            {
                int row = b * steps + r;
                double max = double.NegativeInfinity;
                for (int k = 0; k < classes; k++) max = Math.Max(max, scores[row * classes + k]);
                double sum = 0;
                for (int k = 0; k < classes; k++) sum += Math.Exp(scores[row * classes + k] - max);
                for (int k = 0; k < classes; k++) referenceSoftmax[row * classes + k] = Math.Exp(scores[row * classes + k] - max) / sum;
                total += max + Math.Log(sum) - scores[row * classes + labels[row]];
            }
            referenceLosses[b] = total / steps;
        }

        int saved = KernelThreads.Parts;
        try
        {
            float[]? oneLosses = null, oneKept = null, oneGradient = null;
            foreach (int parts in new[] { 1, 2, 3 })
            {
                KernelThreads.Parts = parts;
                var kept = new float[rows * (classes + 1)];
                var losses = new float[batch];
                var gradient = (float[])start.Clone();
                LossKernels.CrossEntropy(scores, labels, kept, losses, batch, steps, classes);
                LossKernels.CrossEntropyBackward(kept, labels, lossGradients, gradient, batch, steps, classes);
                if (oneLosses is null)
                {
                    (oneLosses, oneKept, oneGradient) = (losses, kept, gradient);
                    for (int b = 0; b < batch; b++) Assert.Equal(referenceLosses[b], losses[b], 1e-5 * Math.Max(1, Math.Abs(referenceLosses[b])));
                    // The generator's backward loop on the kept exps, bit for bit.
                    var expectedGradient = (float[])start.Clone();
                    for (int b = 0; b < batch; b++)
                    {
                        float g = lossGradients[b] / steps;
                        for (int r = 0; r < steps; r++)
                        {
                            int row = b * steps + r, label = labels[row];
                            float sum = kept[row * (classes + 1) + classes];
                            for (int k = 0; k < classes; k++)
                            {
                                Assert.Equal(referenceSoftmax[row * classes + k], kept[row * (classes + 1) + k] / sum, 1e-6);
                                expectedGradient[row * classes + k] += g * (kept[row * (classes + 1) + k] / sum - (k == label ? 1f : 0f));
                            }
                        }
                    }
                    Assert.Equal(expectedGradient, gradient);
                    continue;
                }
                Assert.Equal(oneLosses, losses);
                Assert.Equal(oneKept, kept);
                Assert.Equal(oneGradient, gradient);
            }
        }
        finally
        {
            KernelThreads.Parts = saved;
        }
    }
}
