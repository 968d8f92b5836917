using System;
using System.Linq;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

public class KernelDensityTests
{
    private static readonly double[] FiveValues = { 1, 2, 3, 4, 5 };   // sample std sqrt(2.5)

    [Fact]
    public void Scott_bandwidth_matches_the_hand_computed_value()
    {
        // n^(−1/5) · s = 5^(−0.2) · sqrt(2.5) = 0.72477966 · 1.58113883
        Assert.Equal(1.145977269496164, KernelDensity.Fit(FiveValues, BandwidthRule.Scott).Bandwidth, 12);
    }

    [Fact]
    public void Silverman_bandwidth_matches_the_hand_computed_value()
    {
        // (n(d+2)/4)^(−1/5) · s = 3.75^(−0.2) · sqrt(2.5) = 0.76770390 · 1.58113883
        Assert.Equal(1.2138464451503568, KernelDensity.Fit(FiveValues, BandwidthRule.Silverman).Bandwidth, 12);
    }

    [Fact]
    public void Multivariate_rule_scales_the_factor_by_the_root_mean_feature_variance()
    {
        // Feature variances 4/3 and 12, mean 20/3; Scott's factor for n = 4, d = 2 is 4^(−1/6).
        var data = new[] { new[] { 0.0, 0.0 }, new[] { 2.0, 0.0 }, new[] { 0.0, 6.0 }, new[] { 2.0, 6.0 } };
        Assert.Equal(Math.Pow(4, -1.0 / 6) * Math.Sqrt(20.0 / 3), KernelDensity.Fit(data).Bandwidth, 12);
        Assert.Equal(2.0493259460083237, KernelDensity.Fit(data).Bandwidth, 12);
    }

    [Fact]
    public void Single_sample_density_is_the_normal_density_with_the_bandwidth_as_std()
    {
        var kde = KernelDensity.Fit(new[] { 0.5 }, bandwidth: 2.0);
        // log N(1.5 | 0.5, 2²) = −½ log(2π·4) − 1²/(2·4)
        Assert.Equal(-0.5 * Math.Log(8 * Math.PI) - 0.125, kde.LogDensity(new[] { 1.5 })[0], 12);
        Assert.Equal(Normal.PDF(0.5, 2.0, -3.0), kde.Density(new[] { -3.0 })[0], 12);
    }

    [Fact]
    public void One_dimensional_density_integrates_to_one()
    {
        var random = new Xoshiro256StarStar(31);
        var samples = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? Normal.Sample(random, -4, 0.5) : Normal.Sample(random, 2, 1.5)).ToArray();
        foreach (var rule in new[] { BandwidthRule.Scott, BandwidthRule.Silverman })
        {
            var kde = KernelDensity.Fit(samples, rule);
            double low = samples.Min() - 10 * kde.Bandwidth, high = samples.Max() + 10 * kde.Bandwidth;
            const int points = 4001;
            double step = (high - low) / (points - 1);
            var grid = Enumerable.Range(0, points).Select(i => low + i * step).ToArray();
            var density = kde.Density(grid);
            double integral = step * (density.Sum() - 0.5 * (density[0] + density[^1]));
            Assert.Equal(1.0, integral, 1e-6);
        }
    }

    [Fact]
    public void Two_dimensional_density_integrates_to_one()
    {
        var rows = ClassicalTestData.Gaussian(60, new[] { 1.0, -1.0 }, new[,] { { 2.0, 0.5 }, { 0.5, 1.0 } }, new Xoshiro256StarStar(32));
        var kde = KernelDensity.Fit(rows, BandwidthRule.Silverman);
        double margin = 8 * kde.Bandwidth;
        double lowX = rows.Min(r => r[0]) - margin, highX = rows.Max(r => r[0]) + margin;
        double lowY = rows.Min(r => r[1]) - margin, highY = rows.Max(r => r[1]) + margin;
        const int points = 161;
        double stepX = (highX - lowX) / (points - 1), stepY = (highY - lowY) / (points - 1);

        var grid = (from i in Enumerable.Range(0, points) from j in Enumerable.Range(0, points) select new[] { lowX + i * stepX, lowY + j * stepY }).ToArray();
        var density = kde.Density(grid);
        double integral = 0;
        for (int i = 0; i < points; i++)
        {
            for (int j = 0; j < points; j++)
            {
                // Trapezoid weights: ½ on each edge, ¼ at the corners.
                double weight = (i == 0 || i == points - 1 ? 0.5 : 1) * (j == 0 || j == points - 1 ? 0.5 : 1);
                integral += weight * density[i * points + j];
            }
        }
        Assert.Equal(1.0, integral * stepX * stepY, 1e-4);
    }

    [Fact]
    public void Log_density_stays_finite_far_from_the_data()
    {
        var kde = KernelDensity.Fit(new[] { 0.0, 1.0 }, bandwidth: 0.1);
        double far = kde.LogDensity(new[] { 100.0 })[0];
        // Dominated by the sample at 1: −(99²)/(2·0.01) − log 2 − ½ log(2π·0.01)
        Assert.Equal(-99.0 * 99 / 0.02 - Math.Log(2) - 0.5 * Math.Log(2 * Math.PI * 0.01), far, 6);
    }
}
