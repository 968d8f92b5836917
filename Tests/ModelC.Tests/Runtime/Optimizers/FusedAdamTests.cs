using System;
using System.Numerics.Tensors;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>Adam's one-pass update agrees with the nine TensorPrimitives passes it replaces (to rounding).</summary>
public sealed class FusedAdamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(1000)]
    public void ThreeStepsMatchTheSeparatePasses(int length)
    {
        const float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        var random = new Random(length);
        var parameters = new float[length];
        for (int i = 0; i < length; i++) parameters[i] = (float)(random.NextDouble() * 2 - 1);
        var expected = (float[])parameters.Clone();
        var m = new float[length]; var v = new float[length]; var work = new float[length];
        var adam = new Adam(lr, beta1, beta2, eps);

        for (int step = 1; step <= 3; step++)
        {
            var g = new float[length];
            for (int i = 0; i < length; i++) g[i] = (float)(random.NextDouble() * 2 - 1);
            adam.Step(parameters, g);

            TensorPrimitives.Lerp(m, g, 1 - beta1, m);
            TensorPrimitives.Multiply(v, beta2, v);
            TensorPrimitives.Multiply(g, g, work);
            TensorPrimitives.MultiplyAdd(work, 1 - beta2, v, v);
            float stepSize = (float)(lr / (1 - Math.Pow(beta1, step)));
            float correction = (float)Math.Sqrt(1 - Math.Pow(beta2, step));
            TensorPrimitives.Sqrt(v, work);
            TensorPrimitives.Divide(work, correction, work);
            TensorPrimitives.Add(work, eps, work);
            TensorPrimitives.Divide(m, work, work);
            TensorPrimitives.MultiplyAdd(work, -stepSize, expected, expected);

            for (int i = 0; i < length; i++)
                Assert.True(Math.Abs(expected[i] - parameters[i]) <= ThreeStepProblem.RelativeTolerance * Math.Abs(expected[i]),
                    $"step {step}, element {i}: expected {expected[i]}, got {parameters[i]}");
        }
    }
}
