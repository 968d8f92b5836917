using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ModelC.Runtime.Classical;

/// <summary>Posterior of a Gaussian process at some points: the mean and variance of the latent function (observation noise excluded).</summary>
public sealed class GaussianProcessPrediction
{
    internal GaussianProcessPrediction(double[] mean, double[] variance)
    {
        Mean = Array.AsReadOnly(mean);
        Variance = Array.AsReadOnly(variance);
        StandardDeviation = Array.AsReadOnly(variance.Select(Math.Sqrt).ToArray());
    }

    public IReadOnlyList<double> Mean { get; }

    public IReadOnlyList<double> Variance { get; }

    public IReadOnlyList<double> StandardDeviation { get; }
}

/// <summary>
/// Gaussian-process regression with fixed kernel hyper-parameters: y = f(x) + ε, f ~ GP(0, k),
/// ε ~ N(0, noiseVariance). Fitting factors K + noiseVariance·I once by Cholesky; a prediction at x*
/// has mean k*ᵀ(K + σ²I)⁻¹y and variance k(x*, x*) − k*ᵀ(K + σ²I)⁻¹k*.
/// </summary>
public sealed class GaussianProcessRegressor
{
    private readonly Matrix<double> _x;               // (n, d) training inputs
    private readonly Vector<double> _alpha;           // (K + σ²I)⁻¹ (y − offset) / scale
    private readonly Cholesky<double> _cholesky;
    private readonly double _yOffset;
    private readonly double _yScale;

    private GaussianProcessRegressor(Matrix<double> x, Vector<double> alpha, Cholesky<double> cholesky, double yOffset, double yScale,
        RbfKernel kernel, double noiseVariance, double logMarginalLikelihood)
    {
        _x = x;
        _alpha = alpha;
        _cholesky = cholesky;
        _yOffset = yOffset;
        _yScale = yScale;
        Kernel = kernel;
        NoiseVariance = noiseVariance;
        LogMarginalLikelihood = logMarginalLikelihood;
    }

    public RbfKernel Kernel { get; }

    /// <summary>Variance σ² of the observation noise, added to the diagonal of the training covariance.</summary>
    public double NoiseVariance { get; }

    /// <summary>
    /// log p(y | X) = −½ yᵀ(K + σ²I)⁻¹y − ½ log det(K + σ²I) − (n/2) log 2π, of the targets as modelled
    /// (after normalization when <c>normalizeTargets</c> was set). Higher means the kernel explains the data better.
    /// </summary>
    public double LogMarginalLikelihood { get; }

    public int FeatureCount => _x.ColumnCount;

    /// <summary>Conditions the process on observations.</summary>
    /// <param name="x">Training inputs, one row each; finite, all of one length.</param>
    /// <param name="y">Observed target per row.</param>
    /// <param name="kernel">Prior covariance; RBF with length scale 1 and signal variance 1 when null.</param>
    /// <param name="noiseVariance">Observation noise variance σ² (> 0; a small value also keeps the Cholesky factor stable).</param>
    /// <param name="normalizeTargets">
    /// Model (y − mean(y)) / std(y) instead of y, and undo it in predictions, so a unit signal variance suits targets of any scale.
    /// </param>
    public static GaussianProcessRegressor Fit(double[][] x, double[] y, RbfKernel? kernel = null, double noiseVariance = 1e-6, bool normalizeTargets = false)
    {
        var inputs = DataChecks.Rows(x, nameof(x));
        var targets = DataChecks.Values(y, nameof(y), inputs.RowCount, "one target per row of x");
        DataChecks.Positive(noiseVariance, nameof(noiseVariance));
        kernel ??= new RbfKernel();

        int n = inputs.RowCount;
        double offset = 0, scale = 1;
        if (normalizeTargets)
        {
            offset = targets.Sum() / n;
            double std = Math.Sqrt((targets - offset).DotProduct(targets - offset) / n);
            scale = std > 0 ? std : 1;
        }
        var modelled = (targets - offset) / scale;

        var covariance = kernel.Matrix(inputs, inputs) + Matrix<double>.Build.DenseIdentity(n) * noiseVariance;
        Cholesky<double> cholesky;
        try
        {
            cholesky = covariance.Cholesky();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("The training covariance is not positive definite (duplicate inputs?); increase noiseVariance.", nameof(noiseVariance), e);
        }
        var alpha = cholesky.Solve(modelled);
        double logMarginal = -0.5 * modelled.DotProduct(alpha) - 0.5 * cholesky.DeterminantLn - 0.5 * n * Math.Log(2 * Math.PI);
        return new GaussianProcessRegressor(inputs, alpha, cholesky, offset, scale, kernel, noiseVariance, logMarginal);
    }

    /// <summary>Posterior mean and variance of f at each row of <paramref name="points"/>.</summary>
    public GaussianProcessPrediction Predict(double[][] points)
    {
        var query = DataChecks.Rows(points, nameof(points), FeatureCount, "the Gaussian process");
        var crossCovariance = Kernel.Matrix(_x, query);                  // (n, m)
        var solved = _cholesky.Solve(crossCovariance);                   // (K + σ²I)⁻¹ k*
        var mean = new double[query.RowCount];
        var variance = new double[query.RowCount];
        for (int p = 0; p < mean.Length; p++)
        {
            var kStar = crossCovariance.Column(p);
            mean[p] = _yOffset + _yScale * kStar.DotProduct(_alpha);
            double latent = Kernel.SignalVariance - kStar.DotProduct(solved.Column(p));
            // Rounding can push the variance of an observed point slightly below zero.
            variance[p] = _yScale * _yScale * Math.Max(latent, 0);
        }
        return new GaussianProcessPrediction(mean, variance);
    }

    public (double Mean, double Variance) Predict(double[] point)
    {
        var prediction = Predict(new[] { point });
        return (prediction.Mean[0], prediction.Variance[0]);
    }
}
