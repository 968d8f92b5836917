using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

public sealed class MomentumFamilyTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void SgdFollowsTorchSgd(float weightDecay)
    {
        const double lr = 0.1;
        double wd = weightDecay;
        double[][] expected = ThreeStepProblem.Reference((_, _, p, g) => p - (lr * (g + (wd * p))));

        float[][] actual = ThreeStepProblem.Run(new Sgd(0.1f, weightDecay));

        ThreeStepProblem.AssertMoved(actual);
        ThreeStepProblem.AssertMatches(expected, actual);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void MomentumFollowsTorchSgdWithMomentum(float weightDecay)
    {
        const double lr = 0.1, beta = 0.8;
        double wd = weightDecay;
        double[] buffer = new double[3];
        double[][] expected = ThreeStepProblem.Reference((step, i, p, g) =>
        {
            double d = g + (wd * p);
            buffer[i] = step == 1 ? d : (beta * buffer[i]) + d;
            return p - (lr * buffer[i]);
        });

        float[][] actual = ThreeStepProblem.Run(new Momentum(0.1f, 0.8f, weightDecay));

        ThreeStepProblem.AssertMoved(actual);
        ThreeStepProblem.AssertMatches(expected, actual);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void NesterovFollowsTorchSgdWithNesterov(float weightDecay)
    {
        const double lr = 0.1, beta = 0.8;
        double wd = weightDecay;
        double[] buffer = new double[3];
        double[][] expected = ThreeStepProblem.Reference((step, i, p, g) =>
        {
            double d = g + (wd * p);
            buffer[i] = step == 1 ? d : (beta * buffer[i]) + d;
            return p - (lr * (d + (beta * buffer[i])));
        });

        float[][] actual = ThreeStepProblem.Run(new Nesterov(0.1f, 0.8f, weightDecay));

        ThreeStepProblem.AssertMoved(actual);
        ThreeStepProblem.AssertMatches(expected, actual);
    }

    [Fact]
    public void MomentumWithZeroBetaIsSgd()
    {
        float[][] sgd = ThreeStepProblem.Run(new Sgd(0.1f));
        float[][] momentum = ThreeStepProblem.Run(new Momentum(0.1f, beta: 0f));

        Assert.Equal(sgd, momentum);
    }
}
