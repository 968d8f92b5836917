using System;
using System.Linq;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

public class LeastSquaresRegressionTests
{
    private static readonly double[] TrueCoefficients = { 2.0, -1.0, 0.5 };
    private const double TrueIntercept = 3.0;

    private static (double[][] X, double[] Y) Problem(int n, double noise, int seed)
    {
        var random = new Xoshiro256StarStar(seed);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 3).Select(_ => Normal.Sample(random, 0, 2)).ToArray()).ToArray();
        var y = x.Select(r => r.Zip(TrueCoefficients, (a, b) => a * b).Sum() + TrueIntercept + noise * Normal.Sample(random, 0, 1)).ToArray();
        return (x, y);
    }

    [Fact]
    public void Noiseless_data_recovers_the_coefficients_exactly()
    {
        var (x, y) = Problem(20, noise: 0, seed: 41);
        var model = LeastSquaresRegression.Fit(x, y);
        Assert.Equal(TrueCoefficients, model.Coefficients.ToArray(), new ToleranceComparer(1e-12));
        Assert.Equal(TrueIntercept, model.Intercept, 1e-12);
        Assert.Equal(1.0, model.RSquared, 12);
    }

    [Fact]
    public void Matches_MathNet_multidimensional_fit()
    {
        var (x, y) = Problem(100, noise: 0.5, seed: 42);
        var model = LeastSquaresRegression.Fit(x, y);
        double[] reference = Fit.MultiDim(x, y, intercept: true);   // [intercept, w1, w2, w3]
        Assert.Equal(reference[0], model.Intercept, 1e-10);
        Assert.Equal(reference.Skip(1).ToArray(), model.Coefficients.ToArray(), new ToleranceComparer(1e-10));
    }

    [Fact]
    public void Without_intercept_matches_the_normal_equations()
    {
        var (x, y) = Problem(50, noise: 0.5, seed: 43);
        var model = LeastSquaresRegression.Fit(x, y, fitIntercept: false);
        var a = Matrix<double>.Build.DenseOfRowArrays(x);
        var normal = (a.TransposeThisAndMultiply(a)).Solve(a.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(y)));
        Assert.Equal(normal.ToArray(), model.Coefficients.ToArray(), new ToleranceComparer(1e-10));
        Assert.Equal(0.0, model.Intercept);
    }

    [Fact]
    public void R_squared_is_one_minus_residual_over_total_sum_of_squares()
    {
        var (x, y) = Problem(60, noise: 2.0, seed: 44);
        var model = LeastSquaresRegression.Fit(x, y);
        double mean = y.Average();
        double residual = x.Select((r, i) => Math.Pow(y[i] - model.Predict(r), 2)).Sum();
        double total = y.Sum(v => (v - mean) * (v - mean));
        Assert.Equal(1 - residual / total, model.RSquared, 12);
        Assert.Equal(model.RSquared, model.Score(x, y), 12);
        Assert.InRange(model.RSquared, 0.5, 0.99);
    }

    [Fact]
    public void Ridge_matches_the_penalized_normal_equations_with_a_free_intercept()
    {
        var (x, y) = Problem(40, noise: 1.0, seed: 45);
        const double lambda = 7.5;
        var model = LeastSquaresRegression.Fit(x, y, ridge: lambda);

        // [XᵀX + λI, Xᵀ1; 1ᵀX, n] [w; b] = [Xᵀy; 1ᵀy]: the penalty touches w only.
        var a = Matrix<double>.Build.DenseOfRowArrays(x).Append(Matrix<double>.Build.Dense(40, 1, 1.0));
        var penalty = Matrix<double>.Build.DenseOfDiagonalArray(new[] { lambda, lambda, lambda, 0 });
        var solution = (a.TransposeThisAndMultiply(a) + penalty).Solve(a.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(y)));
        Assert.Equal(solution.SubVector(0, 3).ToArray(), model.Coefficients.ToArray(), new ToleranceComparer(1e-9));
        Assert.Equal(solution[3], model.Intercept, 1e-9);
    }

    [Fact]
    public void Ridge_shrinks_the_coefficients_toward_zero_but_not_the_intercept()
    {
        var (x, y) = Problem(40, noise: 1.0, seed: 46);
        double[] lambdas = { 0, 1, 10, 100, 1e8 };
        var norms = lambdas.Select(l => LeastSquaresRegression.Fit(x, y, ridge: l).Coefficients.Sum(c => c * c)).ToArray();
        for (int i = 1; i < norms.Length; i++)
            Assert.True(norms[i] < norms[i - 1], $"λ = {lambdas[i]} did not shrink: {norms[i]} ≥ {norms[i - 1]}");

        var flattened = LeastSquaresRegression.Fit(x, y, ridge: 1e12);
        Assert.Equal(y.Average(), flattened.Intercept, 1e-4);
    }

    [Fact]
    public void Collinear_features_are_rejected_unless_ridge_is_used()
    {
        var x = Enumerable.Range(0, 10).Select(i => new[] { (double)i, 2.0 * i }).ToArray();
        var y = Enumerable.Range(0, 10).Select(i => 3.0 * i + 1).ToArray();
        var error = Assert.Throws<ArgumentException>(() => LeastSquaresRegression.Fit(x, y));
        Assert.Equal("x", error.ParamName);

        var ridge = LeastSquaresRegression.Fit(x, y, ridge: 1e-6);
        Assert.Equal(31.0, ridge.Predict(new[] { 10.0, 20.0 }), 1e-4);
    }
}
