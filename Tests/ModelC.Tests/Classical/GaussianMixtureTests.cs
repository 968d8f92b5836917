using System;
using System.Linq;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

public class GaussianMixtureTests
{
    [Fact]
    public void Recovers_means_weights_and_covariances_of_separated_clusters()
    {
        var (rows, truth) = ClassicalTestData.ThreeClusters(seed: 21);
        var mixture = GaussianMixture.Fit(rows, components: 3, seed: 4);

        Assert.True(mixture.Converged);
        var mapping = ClassicalTestData.AssertSamePartition(truth, mixture.Predict(rows), 3);
        for (int c = 0; c < 3; c++)
        {
            int m = mapping[c];
            var members = rows.Where((_, i) => truth[i] == c).ToArray();
            Assert.Equal(ClassicalTestData.ClusterMeans[c], mixture.Means[m].ToArray(), new ToleranceComparer(0.25));
            Assert.Equal(ClassicalTestData.ClusterSizes[c] / 600.0, mixture.Weights[m], 1e-3);

            // The clusters barely overlap, so each component is its cluster's maximum-likelihood fit plus the regularization.
            var expected = ClassicalTestData.MaximumLikelihoodCovariance(members) + Matrix<double>.Build.DenseIdentity(2) * 1e-6;
            var fitted = Matrix<double>.Build.DenseOfRows(mixture.Covariances[m]);
            Assert.True((expected - fitted).FrobeniusNorm() < 1e-3, $"cluster {c}: expected {expected}, got {fitted}");
        }
    }

    [Fact]
    public void One_component_on_one_feature_is_the_maximum_likelihood_normal()
    {
        var random = new Xoshiro256StarStar(5);
        var values = Enumerable.Range(0, 200).Select(_ => Normal.Sample(random, 3.0, 2.0)).ToArray();
        var mixture = GaussianMixture.Fit(values.Select(v => new[] { v }).ToArray(), components: 1);

        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average() + 1e-6;
        Assert.Equal(mean, mixture.Means[0][0], 1e-10);
        Assert.Equal(variance, mixture.Covariances[0][0][0], 1e-10);
        double logLikelihood = values.Sum(v => Normal.PDFLn(mean, Math.Sqrt(variance), v));
        Assert.Equal(logLikelihood, mixture.LogLikelihood, 1e-8);
        Assert.Equal(logLikelihood / 200, mixture.MeanLogLikelihood, 1e-10);
    }

    [Fact]
    public void Responsibilities_are_probabilities_that_agree_with_predict()
    {
        var (rows, _) = ClassicalTestData.ThreeClusters(seed: 22);
        var mixture = GaussianMixture.Fit(rows, components: 3, seed: 1);
        var responsibilities = mixture.Responsibilities(rows);
        var labels = mixture.Predict(rows);

        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(1.0, responsibilities[i].Sum(), 12);
            Assert.Equal(labels[i], Array.IndexOf(responsibilities[i], responsibilities[i].Max()));
            Assert.True(responsibilities[i].Max() > 0.99);
        }
        // Midway between two clusters far from both, log-sum-exp keeps the probabilities finite.
        var far = mixture.Responsibilities(new[] { new[] { 500.0, -400.0 } })[0];
        Assert.Equal(1.0, far.Sum(), 12);
        Assert.All(far, p => Assert.False(double.IsNaN(p)));
    }

    [Fact]
    public void Total_log_likelihood_is_the_sum_of_the_log_densities()
    {
        var (rows, _) = ClassicalTestData.ThreeClusters(seed: 23);
        var mixture = GaussianMixture.Fit(rows, components: 3, seed: 2);
        Assert.Equal(mixture.LogDensity(rows).Sum(), mixture.LogLikelihood, 1e-6);
        Assert.Equal(mixture.LogLikelihood / rows.Length, mixture.MeanLogLikelihood, 1e-10);
    }

    [Fact]
    public void Bic_follows_the_scikit_learn_formula()
    {
        var (rows, _) = ClassicalTestData.ThreeClusters(seed: 24);
        var mixture = GaussianMixture.Fit(rows, components: 3, seed: 0);
        // k·d(d+1)/2 + k·d + k − 1 = 9 + 6 + 2 parameters.
        double expected = -2 * mixture.LogLikelihood + 17 * Math.Log(600);
        Assert.Equal(expected, mixture.Bic(rows), 1e-6);
    }

    [Fact]
    public void Bic_chooses_three_components_for_three_clusters()
    {
        var (rows, _) = ClassicalTestData.ThreeClusters(seed: 25);
        var bics = Enumerable.Range(1, 5).Select(k => GaussianMixture.Fit(rows, k, seed: 3, restarts: 2).Bic(rows)).ToArray();
        Assert.Equal(3, Array.IndexOf(bics, bics.Min()) + 1);
    }
}
