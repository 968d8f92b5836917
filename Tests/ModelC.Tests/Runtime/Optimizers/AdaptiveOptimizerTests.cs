using System;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

public sealed class AdaptiveOptimizerTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void AdagradFollowsTorchAdagrad(float weightDecay)
    {
        const double lr = 0.05, eps = 0.01;
        double wd = weightDecay;
        double[] sum = new double[3];
        double[][] expected = ThreeStepProblem.Reference((_, i, p, g) =>
        {
            double d = g + (wd * p);
            sum[i] += d * d;
            return p - (lr * d / (Math.Sqrt(sum[i]) + eps));
        });

        float[][] actual = ThreeStepProblem.Run(new Adagrad(0.05f, 0.01f, weightDecay));

        ThreeStepProblem.AssertMoved(actual);
        ThreeStepProblem.AssertMatches(expected, actual);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void RmsPropFollowsTorchRmsProp(float weightDecay)
    {
        const double lr = 0.01, rho = 0.9, eps = 0.01;
        double wd = weightDecay;
        double[] average = new double[3];
        double[][] expected = ThreeStepProblem.Reference((_, i, p, g) =>
        {
            double d = g + (wd * p);
            average[i] = (rho * average[i]) + ((1 - rho) * d * d);
            return p - (lr * d / (Math.Sqrt(average[i]) + eps));
        });

        float[][] actual = ThreeStepProblem.Run(new RmsProp(0.01f, 0.9f, 0.01f, weightDecay));

        ThreeStepProblem.AssertMoved(actual);
        ThreeStepProblem.AssertMatches(expected, actual);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void AdamFollowsTorchAdam(float weightDecay)
    {
        const double lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        double wd = weightDecay;
        double[][] expected = AdamReference(lr, beta1, beta2, eps, l2Decay: wd, decoupledDecay: 0);

        float[][] actual = ThreeStepProblem.Run(new Adam(0.01f, 0.9f, 0.999f, 1e-8f, weightDecay));

        ThreeStepProblem.AssertMoved(actual);
        ThreeStepProblem.AssertMatches(expected, actual);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.01f)]
    [InlineData(0.5f)]
    public void AdamWFollowsTorchAdamW(float weightDecay)
    {
        const double lr = 0.01, beta1 = 0.8, beta2 = 0.99, eps = 0.05;
        double wd = weightDecay;
        double[][] expected = AdamReference(lr, beta1, beta2, eps, l2Decay: 0, decoupledDecay: wd);

        float[][] actual = ThreeStepProblem.Run(new AdamW(0.01f, 0.8f, 0.99f, 0.05f, weightDecay));

        ThreeStepProblem.AssertMoved(actual);
        ThreeStepProblem.AssertMatches(expected, actual);
    }

    [Fact]
    public void AdamUpdatesFromZeroMatchTorch()
    {
        // From zero the parameters are the accumulated updates themselves, so the relative
        // tolerance applies to the updates rather than to parameters of magnitude one.
        var optimizer = new Adam(lr: 0.01f, beta2: 0.999f);
        float[] parameters = [0f, 0f];
        float[][] gradients = [[1f, 0.1f], [0.1f, 1f]];
        double[] m = new double[2], v = new double[2], expected = new double[2];

        for (int step = 1; step <= 2; step++)
        {
            optimizer.Step(parameters, gradients[step - 1]);
            for (int i = 0; i < 2; i++)
            {
                double g = gradients[step - 1][i];
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                double mHat = m[i] / (1 - Math.Pow(0.9, step));
                double vHat = v[i] / (1 - Math.Pow(0.999, step));
                expected[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }

        for (int i = 0; i < 2; i++)
        {
            Assert.True(
                Math.Abs(parameters[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]),
                $"element {i}: expected {expected[i]:R}, got {parameters[i]:R}");
        }
    }

    [Fact]
    public void AdamWDecayShrinksParametersEvenWithoutGradient()
    {
        var optimizer = new AdamW(lr: 0.1f, weightDecay: 0.5f);
        float[] parameters = [2f, -4f];

        optimizer.Step(parameters, [0f, 0f]);

        Assert.Equal([2f * 0.95f, -4f * 0.95f], parameters);
    }

    [Fact]
    public void AdamDecayEntersTheMomentsLikeAGradient()
    {
        // With L2 decay and a zero gradient, the first Adam step is lr * sign(wd * p).
        var optimizer = new Adam(lr: 0.1f, weightDecay: 0.5f);
        float[] parameters = [2f, -4f];

        optimizer.Step(parameters, [0f, 0f]);

        Assert.Equal(1.9f, parameters[0], 6);
        Assert.Equal(-3.9f, parameters[1], 6);
    }

    private static double[][] AdamReference(
        double lr, double beta1, double beta2, double eps, double l2Decay, double decoupledDecay)
    {
        double[] m = new double[3];
        double[] v = new double[3];
        return ThreeStepProblem.Reference((step, i, p, g) =>
        {
            p *= 1 - (lr * decoupledDecay);
            double d = g + (l2Decay * p);
            m[i] = (beta1 * m[i]) + ((1 - beta1) * d);
            v[i] = (beta2 * v[i]) + ((1 - beta2) * d * d);
            double mHat = m[i] / (1 - Math.Pow(beta1, step));
            double vHat = v[i] / (1 - Math.Pow(beta2, step));

            // torch adds eps to sqrt(v) / sqrt(1 - beta2^t), i.e. to sqrt(vHat).
            return p - (lr * mHat / (Math.Sqrt(vHat) + eps));
        });
    }
}
