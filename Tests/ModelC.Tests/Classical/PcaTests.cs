using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

public class PcaTests
{
    // Covariance R diag(9, 4, 1) Rᵀ: the principal axes are R's columns and the variance ratios 9/14, 4/14, 1/14.
    private static readonly double[] TrueVariances = { 9.0, 4.0, 1.0 };

    private static Matrix<double> Rotation()
    {
        double a = 0.5, b = 0.3;
        var rz = Matrix<double>.Build.DenseOfArray(new[,] { { Math.Cos(a), -Math.Sin(a), 0 }, { Math.Sin(a), Math.Cos(a), 0 }, { 0, 0, 1 } });
        var rx = Matrix<double>.Build.DenseOfArray(new[,] { { 1, 0, 0 }, { 0, Math.Cos(b), -Math.Sin(b) }, { 0, Math.Sin(b), Math.Cos(b) } });
        return rz * rx;
    }

    private static double[][] KnownCovarianceData(int n, int seed)
    {
        var rotation = Rotation();
        var covariance = rotation * Matrix<double>.Build.DenseOfDiagonalArray(TrueVariances) * rotation.Transpose();
        return ClassicalTestData.Gaussian(n, new[] { 5.0, -2.0, 1.0 }, covariance.ToArray(), new Xoshiro256StarStar(seed));
    }

    [Fact]
    public void Components_align_with_the_eigenvectors_of_the_generating_covariance()
    {
        var pca = Pca.Fit(KnownCovarianceData(20000, seed: 1));
        var rotation = Rotation();

        for (int c = 0; c < 3; c++)
        {
            var component = Vector<double>.Build.DenseOfEnumerable(pca.Components[c]);
            Assert.Equal(1.0, component.L2Norm(), 12);
            Assert.True(Math.Abs(component.DotProduct(rotation.Column(c))) > 0.999, $"component {c} is off its eigenvector: {component}");
        }
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(TrueVariances[c] / TrueVariances.Sum(), pca.ExplainedVarianceRatio[c], 2);
            Assert.Equal(TrueVariances[c], pca.ExplainedVariance[c], TrueVariances[c] * 0.05);
        }
        Assert.Equal(new[] { 5.0, -2.0, 1.0 }, pca.Mean.ToArray(), new ToleranceComparer(0.1));
    }

    [Fact]
    public void Explained_variance_equals_the_eigenvalues_of_the_sample_covariance()
    {
        var data = KnownCovarianceData(500, seed: 2);
        var pca = Pca.Fit(data);

        var covariance = ClassicalTestData.MaximumLikelihoodCovariance(data) * 500 / 499;
        var eigenvalues = covariance.Evd().EigenValues.Select(v => v.Real).OrderByDescending(v => v).ToArray();
        Assert.Equal(eigenvalues, pca.ExplainedVariance.ToArray(), new ToleranceComparer(1e-9));
        Assert.Equal(1.0, pca.ExplainedVarianceRatio.Sum(), 12);
    }

    [Fact]
    public void Largest_entry_of_each_component_is_positive()
    {
        var pca = Pca.Fit(KnownCovarianceData(300, seed: 3));
        foreach (var component in pca.Components)
        {
            double largest = component.OrderByDescending(Math.Abs).First();
            Assert.True(largest > 0);
        }
    }

    [Fact]
    public void Inverse_transform_of_the_transform_returns_the_data_when_all_components_are_kept()
    {
        var data = KnownCovarianceData(200, seed: 4);
        foreach (bool whiten in new[] { false, true })
        {
            var pca = Pca.Fit(data, whiten: whiten);
            var roundTrip = pca.InverseTransform(pca.Transform(data));
            for (int i = 0; i < data.Length; i++)
                Assert.Equal(data[i], roundTrip[i], new ToleranceComparer(1e-9));
        }
    }

    [Fact]
    public void Keeping_fewer_components_reconstructs_the_projection_onto_their_span()
    {
        var data = KnownCovarianceData(200, seed: 5);
        var pca = Pca.Fit(data, components: 2);
        var projected = pca.Transform(data);
        Assert.Equal(2, projected[0].Length);

        var axis = Vector<double>.Build.DenseOfEnumerable(Pca.Fit(data).Components[2]);
        var mean = Vector<double>.Build.DenseOfEnumerable(pca.Mean);
        var back = pca.InverseTransform(projected);
        for (int i = 0; i < data.Length; i++)
        {
            // What is lost is exactly the part of (x − mean) along the discarded third axis.
            var lost = Vector<double>.Build.DenseOfArray(data[i]) - Vector<double>.Build.DenseOfArray(back[i]);
            var expected = axis * axis.DotProduct(Vector<double>.Build.DenseOfArray(data[i]) - mean);
            Assert.Equal(expected.ToArray(), lost.ToArray(), new ToleranceComparer(1e-9));
        }
    }

    [Fact]
    public void Whitened_projections_have_unit_variance_and_no_correlation()
    {
        var data = KnownCovarianceData(400, seed: 6);
        var whitened = Pca.Fit(data, whiten: true).Transform(data);

        var covariance = ClassicalTestData.MaximumLikelihoodCovariance(whitened) * 400 / 399;
        Assert.True((covariance - Matrix<double>.Build.DenseIdentity(3)).FrobeniusNorm() < 1e-9, covariance.ToString());
    }

    [Fact]
    public void Wide_data_keeps_at_most_as_many_components_as_rows()
    {
        var data = new[] { new[] { 1.0, 2, 3, 4 }, new[] { 2.0, 1, 0, 4 }, new[] { 0.0, 0, 1, 1 } };
        var pca = Pca.Fit(data);
        Assert.Equal(3, pca.ComponentCount);
        Assert.Equal(0.0, pca.ExplainedVariance[2], 12);     // three centred rows span two dimensions
        var roundTrip = pca.InverseTransform(pca.Transform(data));
        for (int i = 0; i < data.Length; i++)
            Assert.Equal(data[i], roundTrip[i], new ToleranceComparer(1e-9));
    }
}
