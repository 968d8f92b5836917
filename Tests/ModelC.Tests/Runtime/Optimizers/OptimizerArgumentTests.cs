using System;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

public sealed class OptimizerArgumentTests
{
    [Fact]
    public void NegativeOrNonFiniteLearningRatesAreRejected()
    {
        AssertRejects("lr", () => new Sgd(-0.1f));
        AssertRejects("lr", () => new Momentum(float.NaN));
        AssertRejects("lr", () => new Nesterov(float.PositiveInfinity));
        AssertRejects("lr", () => new Adagrad(-1f));
        AssertRejects("lr", () => new RmsProp(-1f));
        AssertRejects("lr", () => new Adam(-1e-3f));
        AssertRejects("lr", () => new AdamW(-1e-3f));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void DecayRatesOutsideZeroToOneAreRejected(float rate)
    {
        AssertRejects("beta", () => new Momentum(0.1f, beta: rate));
        AssertRejects("beta", () => new Nesterov(0.1f, beta: rate));
        AssertRejects("rho", () => new RmsProp(rho: rate));
        AssertRejects("beta1", () => new Adam(beta1: rate));
        AssertRejects("beta2", () => new Adam(beta2: rate));
        AssertRejects("beta1", () => new AdamW(beta1: rate));
        AssertRejects("beta2", () => new AdamW(beta2: rate));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1e-8f)]
    [InlineData(float.NaN)]
    public void NonPositiveEpsilonsAreRejected(float eps)
    {
        AssertRejects("eps", () => new Adagrad(eps: eps));
        AssertRejects("eps", () => new RmsProp(eps: eps));
        AssertRejects("eps", () => new Adam(eps: eps));
        AssertRejects("eps", () => new AdamW(eps: eps));
    }

    [Fact]
    public void NegativeWeightDecaysAreRejected()
    {
        AssertRejects("weightDecay", () => new Sgd(0.1f, -0.01f));
        AssertRejects("weightDecay", () => new Momentum(0.1f, weightDecay: -0.01f));
        AssertRejects("weightDecay", () => new Nesterov(0.1f, weightDecay: -0.01f));
        AssertRejects("weightDecay", () => new Adagrad(weightDecay: -0.01f));
        AssertRejects("weightDecay", () => new RmsProp(weightDecay: -0.01f));
        AssertRejects("weightDecay", () => new Adam(weightDecay: -0.01f));
        AssertRejects("weightDecay", () => new AdamW(weightDecay: float.NaN));
    }

    [Fact]
    public void DefaultsMatchTorch()
    {
        var adam = new Adam();
        var adamW = new AdamW();
        var adagrad = new Adagrad();
        var rmsProp = new RmsProp();

        Assert.Equal((1e-3f, 0.9f, 0.999f, 1e-8f, 0f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay));
        Assert.Equal((1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f), (adamW.LearningRate, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay));
        Assert.Equal((0.01f, 1e-10f, 0f), (adagrad.LearningRate, adagrad.Epsilon, adagrad.WeightDecay));
        Assert.Equal((0.01f, 0.99f, 1e-8f, 0f), (rmsProp.LearningRate, rmsProp.Rho, rmsProp.Epsilon, rmsProp.WeightDecay));
        Assert.Equal(0.9f, new Momentum(0.1f).Beta);
        Assert.Equal(0.9f, new Nesterov(0.1f).Beta);
    }

    private static void AssertRejects(string parameterName, Func<IOptimizer> create)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => create());
        Assert.Equal(parameterName, error.ParamName);
    }
}
