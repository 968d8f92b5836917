using System;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

public class GaussianProcessTests
{
    [Fact]
    public void Two_point_posterior_matches_the_hand_computed_algebra()
    {
        // Observations y(0) = 1, y(1) = −1; RBF with ℓ = 1, σf² = 1; noise σn² = 0.01.
        var gp = GaussianProcessRegressor.Fit(new[] { new[] { 0.0 }, new[] { 1.0 } }, new[] { 1.0, -1.0 },
            new RbfKernel(lengthScale: 1, signalVariance: 1), noiseVariance: 0.01);

        // K + σn²I = [[a, b], [b, a]], a = 1.01, b = exp(−½); its inverse is [[a, −b], [−b, a]] / (a² − b²).
        double a = 1.01, b = Math.Exp(-0.5), det = a * a - b * b;
        // At x* = 0.25: k* = (exp(−0.25²/2), exp(−0.75²/2)) = (exp(−1/32), exp(−9/32)).
        double k1 = Math.Exp(-1.0 / 32), k2 = Math.Exp(-9.0 / 32);
        // α = K⁻¹y = (a + b, −b − a) / det for y = (1, −1); mean = k*ᵀα.
        double alpha1 = (a * 1 - b * -1) / det, alpha2 = (-b * 1 + a * -1) / det;
        double mean = k1 * alpha1 + k2 * alpha2;
        // variance = σf² − k*ᵀK⁻¹k* = 1 − (a k1² − 2 b k1 k2 + a k2²) / det.
        double variance = 1 - (a * k1 * k1 - 2 * b * k1 * k2 + a * k2 * k2) / det;

        var (predictedMean, predictedVariance) = gp.Predict(new[] { 0.25 });
        Assert.Equal(mean, predictedMean, 12);
        Assert.Equal(variance, predictedVariance, 12);
        Assert.Equal(0.5313753, mean, 6);          // the algebra above, evaluated
        Assert.Equal(0.0236536, variance, 6);

        // log p(y) = −½ yᵀα − ½ log det − log 2π for n = 2.
        double logMarginal = -0.5 * (1 * alpha1 - 1 * alpha2) - 0.5 * Math.Log(det) - Math.Log(2 * Math.PI);
        Assert.Equal(logMarginal, gp.LogMarginalLikelihood, 12);
    }

    [Fact]
    public void Far_from_the_data_the_posterior_returns_to_the_prior()
    {
        var gp = GaussianProcessRegressor.Fit(new[] { new[] { 0.0 }, new[] { 1.0 } }, new[] { 1.0, -1.0 }, new RbfKernel(0.5, 2.0));
        var (mean, variance) = gp.Predict(new[] { 50.0 });
        Assert.Equal(0.0, mean, 12);
        Assert.Equal(2.0, variance, 12);
    }

    [Fact]
    public void Normalized_targets_interpolate_the_observations_at_any_scale()
    {
        var x = new[] { new[] { 0.0, 0.0 }, new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 }, new[] { 1.0, 1.0 } };
        var y = new[] { 1000.0, 1010.0, 990.0, 1005.0 };
        var gp = GaussianProcessRegressor.Fit(x, y, new RbfKernel(0.8), noiseVariance: 1e-9, normalizeTargets: true);
        var prediction = gp.Predict(x);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(y[i], prediction.Mean[i], 1e-4);
            Assert.True(prediction.StandardDeviation[i] < 1e-2);
        }
        // Away from the data the mean reverts to the average target rather than to 0.
        Assert.Equal(1001.25, gp.Predict(new[] { 40.0, 40.0 }).Mean, 1e-6);
    }

    [Fact]
    public void Expected_improvement_matches_the_hand_computed_value()
    {
        // I = best − mean − xi = 0.6 − 0.5 − 0 = 0.1, z = I/σ = 0.5; EI = I Φ(0.5) + σ φ(0.5)
        // = 0.1 · 0.6914624612740131 + 0.2 · 0.3520653267642995.
        Assert.Equal(0.1395593114802612, Acquisition.ExpectedImprovement(mean: 0.5, std: 0.2, best: 0.6, xi: 0.0), 12);
        // With xi = 0.05: I = 0.05, z = 0.25; Φ(0.25) = 0.5987063256829237, φ(0.25) = 0.3866681168028493.
        Assert.Equal(0.05 * 0.5987063256829237 + 0.2 * 0.3866681168028493, Acquisition.ExpectedImprovement(0.5, 0.2, 0.6, 0.05), 12);
    }

    [Fact]
    public void Expected_improvement_without_uncertainty_is_the_plain_improvement()
    {
        Assert.Equal(0.3, Acquisition.ExpectedImprovement(mean: 1.0, std: 0, best: 1.3, xi: 0), 12);
        Assert.Equal(0.0, Acquisition.ExpectedImprovement(mean: 2.0, std: 0, best: 1.3, xi: 0), 12);
        // A worse mean still has some expected improvement when uncertain.
        Assert.True(Acquisition.ExpectedImprovement(mean: 2.0, std: 1, best: 1.3, xi: 0) > 0);
    }
}
