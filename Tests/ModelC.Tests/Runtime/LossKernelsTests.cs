using System;
using System.Runtime.Intrinsics;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// LossKernels' cross_entropy against a double-precision reference (the loss and the softmax it
/// keeps, within float rounding), its gradient against the generator's loop on the kept exps
/// (bit for bit), the same bits on one thread, two and three, and the kept exps, sums and losses
/// bit for bit against the kernel's order written out in scalar code.
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
    [Theory]
    [InlineData(60)]
    [InlineData(17)]
    [InlineData(16)]
    [InlineData(8)]
    [InlineData(7)]
    public void KeptExpsSumsAndLossesAreTheScalarExpsInTheKernelsOrder(int classes)
    {
        const int batch = 3, steps = 5;
        int rows = batch * steps;
        var random = new Random(classes + 1);
        var scores = new float[rows * classes];
        for (int i = 0; i < scores.Length; i++) scores[i] = (float)(random.NextDouble() * 16 - 8);
        var labels = new int[rows];
        for (int i = 0; i < rows; i++) labels[i] = random.Next(classes);
        var kept = new float[rows * (classes + 1)];
        var losses = new float[batch];
        LossKernels.CrossEntropy(scores, labels, kept, losses, batch, steps, classes);

        bool vectors = Vector256.IsHardwareAccelerated && classes >= 8;
        for (int b = 0; b < batch; b++)
        {
            float total = 0f;
            for (int r = 0; r < steps; r++)
            {
                int row = b * steps + r;
                var z = scores.AsSpan(row * classes, classes);
                float max = float.NegativeInfinity;
                foreach (float value in z) max = MathF.Max(max, value);
                var exps = new float[classes];
                for (int k = 0; k < classes; k++) exps[k] = SingleExp.Exp(z[k] - max);
                // Eight lane sums over the whole vectors, summed across the lanes, then the rest one by one.
                int whole = vectors ? classes / 8 * 8 : 0;
                var laneSums = new float[8];
                for (int k = 0; k < whole; k++) laneSums[k % 8] += exps[k];
                float sum = vectors ? Vector256.Sum(Vector256.Create(laneSums)) : 0f;
                for (int k = whole; k < classes; k++) sum += exps[k];
                for (int k = 0; k < classes; k++) Assert.Equal(BitConverter.SingleToInt32Bits(exps[k]), BitConverter.SingleToInt32Bits(kept[row * (classes + 1) + k]));
                Assert.Equal(BitConverter.SingleToInt32Bits(sum), BitConverter.SingleToInt32Bits(kept[row * (classes + 1) + classes]));
                total += max + MathF.Log(sum) - z[labels[row]];
            }
            Assert.Equal(BitConverter.SingleToInt32Bits(total / steps), BitConverter.SingleToInt32Bits(losses[b]));
        }
    }
}
