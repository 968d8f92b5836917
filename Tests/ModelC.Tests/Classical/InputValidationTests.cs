using System;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

/// <summary>Bad input fails fast with an ArgumentException naming the argument and saying what is wrong.</summary>
public class InputValidationTests
{
    private static readonly double[][] Good = { new[] { 0.0, 1.0 }, new[] { 1.0, 0.0 }, new[] { 2.0, 2.0 }, new[] { 3.0, 1.0 } };

    private static void AssertRejects(string paramName, string messagePart, Action call)
    {
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(paramName, error.ParamName);
        Assert.Contains(messagePart, error.Message);
    }

    [Fact]
    public void Empty_data_is_rejected_by_every_fit()
    {
        var empty = Array.Empty<double[]>();
        AssertRejects("data", "no rows", () => Pca.Fit(empty));
        AssertRejects("data", "no rows", () => KMeans.Fit(empty, 1));
        AssertRejects("data", "no rows", () => GaussianMixture.Fit(empty, 1));
        AssertRejects("data", "no rows", () => KernelDensity.Fit(empty));
        AssertRejects("x", "no rows", () => LeastSquaresRegression.Fit(empty, Array.Empty<double>()));
        AssertRejects("x", "no rows", () => GaussianProcessRegressor.Fit(empty, Array.Empty<double>()));
        AssertRejects("samples", "empty", () => KernelDensity.Fit(Array.Empty<double>()));
    }

    [Fact]
    public void Non_finite_values_are_rejected_with_their_position()
    {
        var withNaN = new[] { new[] { 0.0, 1.0 }, new[] { 1.0, double.NaN } };
        var withInfinity = new[] { new[] { 0.0, 1.0 }, new[] { double.PositiveInfinity, 0.0 } };
        AssertRejects("data", "row 1, column 1 is NaN", () => Pca.Fit(withNaN));
        AssertRejects("data", "row 1, column 0 is +Infinity", () => KMeans.Fit(withInfinity, 1));
        AssertRejects("data", "NaN", () => GaussianMixture.Fit(withNaN, 1));
        AssertRejects("data", "Infinity", () => KernelDensity.Fit(withInfinity));
        AssertRejects("y", "value 1 is NaN", () => LeastSquaresRegression.Fit(Good[..2], new[] { 1.0, double.NaN }));
        AssertRejects("points", "NaN", () => Pca.Fit(Good).Transform(withNaN));
    }

    [Fact]
    public void Ragged_rows_are_rejected()
    {
        var ragged = new[] { new[] { 0.0, 1.0 }, new[] { 1.0 } };
        AssertRejects("data", "Row 1 has 1 values but row 0 has 2", () => Pca.Fit(ragged));
        AssertRejects("x", "Row 1 has 1 values", () => GaussianProcessRegressor.Fit(ragged, new[] { 1.0, 2.0 }));
    }

    [Fact]
    public void Null_data_names_the_argument()
    {
        var error = Assert.Throws<ArgumentNullException>(() => KMeans.Fit((double[][])null!, 1));
        Assert.Equal("data", error.ParamName);
    }

    [Fact]
    public void More_clusters_or_components_than_points_are_rejected()
    {
        AssertRejects("clusters", "between 1 and the number of rows (4)", () => KMeans.Fit(Good, 5));
        AssertRejects("clusters", "but was 0", () => KMeans.Fit(Good, 0));
        AssertRejects("components", "between 1 and the number of rows (4)", () => GaussianMixture.Fit(Good, 5));
        AssertRejects("components", "min(rows, columns) = 2", () => Pca.Fit(Good, components: 3));
    }

    [Fact]
    public void Predicting_with_the_wrong_number_of_features_is_rejected()
    {
        var threeFeatures = new[] { new[] { 1.0, 2.0, 3.0 } };
        AssertRejects("points", "fitted on 2", () => KMeans.Fit(Good, 2).Predict(threeFeatures));
        AssertRejects("points", "fitted on 2", () => GaussianMixture.Fit(Good, 1).Responsibilities(threeFeatures));
        AssertRejects("points", "fitted on 2", () => KernelDensity.Fit(Good).LogDensity(threeFeatures));
        AssertRejects("point", "fitted on 2", () => LeastSquaresRegression.Fit(Good, new[] { 1.0, 2, 3, 4 }).Predict(new[] { 1.0 }));
        AssertRejects("projections", "fitted on 2", () => Pca.Fit(Good).InverseTransform(threeFeatures));
    }

    [Fact]
    public void Bandwidths_and_kernel_parameters_must_be_positive()
    {
        AssertRejects("bandwidth", "greater than 0", () => KernelDensity.Fit(Good, bandwidth: 0));
        AssertRejects("bandwidth", "greater than 0", () => KernelDensity.Fit(new[] { 1.0, 2.0 }, bandwidth: -1));
        AssertRejects("bandwidth", "greater than 0", () => KernelDensity.Fit(Good, double.NaN));
        AssertRejects("data", "identical", () => KernelDensity.Fit(new[] { 2.0, 2.0, 2.0 }));
        AssertRejects("lengthScale", "greater than 0", () => new RbfKernel(lengthScale: 0));
        AssertRejects("signalVariance", "greater than 0", () => new RbfKernel(signalVariance: -2));
        AssertRejects("noiseVariance", "greater than 0", () => GaussianProcessRegressor.Fit(Good, new[] { 1.0, 2, 3, 4 }, noiseVariance: 0));
        AssertRejects("regularization", "greater than 0", () => GaussianMixture.Fit(Good, 1, regularization: 0));
        AssertRejects("std", "at least 0", () => Acquisition.ExpectedImprovement(0, -1, 0));
    }

    [Fact]
    public void Regression_needs_one_target_per_row_and_a_non_negative_ridge()
    {
        AssertRejects("y", "4 are needed", () => LeastSquaresRegression.Fit(Good, new[] { 1.0, 2.0 }));
        AssertRejects("ridge", "at least 0", () => LeastSquaresRegression.Fit(Good, new[] { 1.0, 2, 3, 4 }, ridge: -0.1));
        AssertRejects("x", "2 rows but 3 unknowns", () => LeastSquaresRegression.Fit(Good[..2], new[] { 1.0, 2.0 }));
    }

    [Fact]
    public void Search_spaces_reject_bad_ranges_and_duplicate_names()
    {
        AssertRejects("low", "log-scaled", () => SearchDimension.Continuous("rate", 0, 1, log: true));
        AssertRejects("high", "greater than low", () => SearchDimension.Continuous("rate", 1, 1));
        AssertRejects("high", "at least low", () => SearchDimension.Integer("width", 5, 4));
        AssertRejects("name", "non-blank", () => SearchDimension.Integer(" ", 1, 4));
        AssertRejects("dimensions", "'a' is used by more than one", () => new SearchSpace(SearchDimension.Integer("a", 1, 2), SearchDimension.Integer("a", 1, 2)));
        AssertRejects("dimensions", "at least one", () => new SearchSpace());
        var space = new SearchSpace(SearchDimension.Integer("a", 1, 2));
        AssertRejects("budget", "at least 1", () => BayesianOptimizer.Minimize(space, _ => 0, budget: 0));
        AssertRejects("objective", "", () => RandomSearch.Minimize(space, null!, budget: 3));
    }
}
