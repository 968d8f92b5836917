using System;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

public sealed class GradientClippingTests
{
    [Fact]
    public void ClipNormRescalesLikeTorchAndReturnsTheOriginalNorm()
    {
        float[] gradients = [3f, -4f, 0f];

        float norm = GradientClipping.ClipNorm(gradients, 1f);

        Assert.Equal(5f, norm);
        const double scale = 1.0 / (5.0 + 1e-6);
        Assert.Equal(3 * scale, gradients[0], 6);
        Assert.Equal(-4 * scale, gradients[1], 6);
        Assert.Equal(0f, gradients[2]);
    }

    [Fact]
    public void ClipNormLeavesSmallGradientsAlone()
    {
        float[] gradients = [0.3f, -0.4f];

        float norm = GradientClipping.ClipNorm(gradients, 1f);

        Assert.Equal(0.5f, norm, 6);
        Assert.Equal([0.3f, -0.4f], gradients);
    }

    [Fact]
    public void ClipNormOfZeroGradientsIsZero()
    {
        float[] gradients = new float[4];

        Assert.Equal(0f, GradientClipping.ClipNorm(gradients, 1f));
        Assert.Equal(new float[4], gradients);
    }

    [Fact]
    public void ClipValueClampsEveryElement()
    {
        float[] gradients = [-3f, -0.5f, 0f, 0.25f, 7f];

        GradientClipping.ClipValue(gradients, 0.5f);

        Assert.Equal([-0.5f, -0.5f, 0f, 0.25f, 0.5f], gradients);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonPositiveLimitsAreRejected(float limit)
    {
        float[] gradients = [1f];

        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipNorm(gradients, limit)).ParamName);
        Assert.Equal("limit", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipValue(gradients, limit)).ParamName);
    }
}
