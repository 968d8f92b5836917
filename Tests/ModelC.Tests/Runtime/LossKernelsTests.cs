using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// LossKernels' cross_entropy against the loops the generator writes for it (copied here): the
/// same bits for the losses, the kept exps and the gradient, on one thread, two and three.
/// </summary>
[Collection("KernelThreads")]
public sealed class LossKernelsTests
{
    [Theory]
    [InlineData(32, 64, 60)]
    [InlineData(3, 5, 7)]
    [InlineData(9, 40, 17)]
    public void CrossEntropyGivesTheBitsOfTheGeneratedLoops(int batch, int steps, int classes)
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

        // The generator's loops for cross_entropy (mean over the steps).
        var expectedSaved = new float[rows * (classes + 1)];
        var expectedLosses = new float[batch];
        var expectedGradient = (float[])start.Clone();
        for (int b = 0; b < batch; b++)
        {
            float total = 0f;
            for (int r = 0; r < steps; r++)
            {
                int row = b * steps + r, label = labels[row];
                float max = float.NegativeInfinity;
                for (int k = 0; k < classes; k++) max = MathF.Max(max, scores[row * classes + k]);
                float sum = 0f;
                for (int k = 0; k < classes; k++)
                {
                    float e = MathF.Exp(scores[row * classes + k] - max);
                    expectedSaved[row * (classes + 1) + k] = e;
                    sum += e;
                }
                expectedSaved[row * (classes + 1) + classes] = sum;
                total += max + MathF.Log(sum) - scores[row * classes + label];
            }
            expectedLosses[b] = total / steps;
            float g = lossGradients[b] / steps;
            for (int r = 0; r < steps; r++)
            {
                int row = b * steps + r, label = labels[row];
                float sum = expectedSaved[row * (classes + 1) + classes];
                for (int k = 0; k < classes; k++)
                    expectedGradient[row * classes + k] += g * (expectedSaved[row * (classes + 1) + k] / sum - (k == label ? 1f : 0f));
            }
        }

        int saved = KernelThreads.Parts;
        try
        {
            foreach (int parts in new[] { 1, 2, 3 })
            {
                KernelThreads.Parts = parts;
                var kept = new float[rows * (classes + 1)];
                var losses = new float[batch];
                var gradient = (float[])start.Clone();
                LossKernels.CrossEntropy(scores, labels, kept, losses, batch, steps, classes);
                LossKernels.CrossEntropyBackward(kept, labels, lossGradients, gradient, batch, steps, classes);
                Assert.Equal(expectedLosses, losses);
                Assert.Equal(expectedSaved, kept);
                Assert.Equal(expectedGradient, gradient);
            }
        }
        finally
        {
            KernelThreads.Parts = saved;
        }
    }
}
