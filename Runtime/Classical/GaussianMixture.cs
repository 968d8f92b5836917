using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ModelC.Runtime.Classical;

/// <summary>
/// Gaussian mixture with full covariance matrices fitted by expectation maximization, started
/// from a k-means clustering. Each covariance gets <c>regularization</c> added to its diagonal so
/// it stays positive definite; densities are evaluated through Cholesky factors and responsibilities
/// through log-sum-exp, so far-away points do not underflow.
/// </summary>
public sealed class GaussianMixture
{
    private readonly MixtureParameters _parameters;

    private GaussianMixture(MixtureParameters parameters, double meanLogLikelihood, int trainingRows, bool converged, int iterations)
    {
        _parameters = parameters;
        Weights = ReadOnly.Of(parameters.Weights);
        Means = ReadOnly.RowsOf(parameters.Means);
        Covariances = Array.AsReadOnly(parameters.Covariances.Select(c => ReadOnly.RowsOf(c)).ToArray());
        MeanLogLikelihood = meanLogLikelihood;
        LogLikelihood = meanLogLikelihood * trainingRows;
        Converged = converged;
        Iterations = iterations;
    }

    /// <summary>Mixing weight of each component; they sum to 1.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Mean of each component, one row per component.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Means { get; }

    /// <summary>Covariance matrix of each component (rows of a d × d matrix), regularization included.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> Covariances { get; }

    /// <summary>Total log-likelihood of the training data under the fitted mixture.</summary>
    public double LogLikelihood { get; }

    /// <summary>Log-likelihood of the training data per row (scikit-learn's <c>score</c>).</summary>
    public double MeanLogLikelihood { get; }

    /// <summary>Whether the change in mean log-likelihood fell below the tolerance before the iteration limit.</summary>
    public bool Converged { get; }

    /// <summary>EM iterations used by the winning restart.</summary>
    public int Iterations { get; }

    public int ComponentCount => _parameters.Means.RowCount;

    public int FeatureCount => _parameters.Means.ColumnCount;

    /// <summary>Fits a mixture of <paramref name="components"/> Gaussians to the rows of <paramref name="data"/>.</summary>
    /// <param name="data">Rows are samples; at least <paramref name="components"/> rows, finite, all of one length.</param>
    /// <param name="components">Number of Gaussians, from 1 to the number of rows.</param>
    /// <param name="seed">Seeds the k-means initialization; restart r uses seed + r.</param>
    /// <param name="maxIterations">EM iterations per restart.</param>
    /// <param name="tolerance">EM stops when the mean log-likelihood per row changes by less than this.</param>
    /// <param name="regularization">Added to every covariance diagonal (scikit-learn's reg_covar).</param>
    /// <param name="restarts">Independent initializations; the highest final log-likelihood wins.</param>
    public static GaussianMixture Fit(double[][] data, int components, int seed = 0, int maxIterations = 100, double tolerance = 1e-3,
        double regularization = 1e-6, int restarts = 1)
    {
        var x = DataChecks.Rows(data, nameof(data));
        if (components < 1 || components > x.RowCount)
            throw new ArgumentOutOfRangeException(nameof(components), components, $"components must be between 1 and the number of rows ({x.RowCount}), but was {components}.");
        DataChecks.AtLeast(maxIterations, 1, nameof(maxIterations));
        DataChecks.NonNegative(tolerance, nameof(tolerance));
        DataChecks.Positive(regularization, nameof(regularization));
        DataChecks.AtLeast(restarts, 1, nameof(restarts));

        GaussianMixture? best = null;
        for (int r = 0; r < restarts; r++)
        {
            var run = RunEm(x, data, components, seed + r, maxIterations, tolerance, regularization);
            if (best is null || run.MeanLogLikelihood > best.MeanLogLikelihood)
                best = run;
        }
        return best!;
    }

    /// <inheritdoc cref="Fit(double[][], int, int, int, double, double, int)"/>
    public static GaussianMixture Fit(Matrix<double> data, int components, int seed = 0, int maxIterations = 100, double tolerance = 1e-3,
        double regularization = 1e-6, int restarts = 1)
        => Fit(data?.ToRowArrays()!, components, seed, maxIterations, tolerance, regularization, restarts);

    /// <summary>Posterior probability of each component for each row (scikit-learn's <c>predict_proba</c>); rows sum to 1.</summary>
    public double[][] Responsibilities(double[][] points)
    {
        var x = DataChecks.Rows(points, nameof(points), FeatureCount, "the mixture");
        var logResponsibilities = LogResponsibilities(WeightedLogDensities(x), out _);
        return logResponsibilities.PointwiseExp().ToRowArrays();
    }

    /// <summary>Most probable component of each row.</summary>
    public int[] Predict(double[][] points)
    {
        var x = DataChecks.Rows(points, nameof(points), FeatureCount, "the mixture");
        var weighted = WeightedLogDensities(x);
        var labels = new int[x.RowCount];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = weighted.Row(i).MaximumIndex();
        return labels;
    }

    public int Predict(double[] point) => Predict(new[] { point })[0];

    /// <summary>Log density of the mixture at each row (scikit-learn's <c>score_samples</c>).</summary>
    public double[] LogDensity(double[][] points)
    {
        var x = DataChecks.Rows(points, nameof(points), FeatureCount, "the mixture");
        LogResponsibilities(WeightedLogDensities(x), out var logDensity);
        return logDensity;
    }

    /// <summary>
    /// Bayesian information criterion on <paramref name="data"/>, as scikit-learn defines it:
    /// −2 · (total log-likelihood) + p · ln n, with p = k·d(d+1)/2 covariance + k·d mean + (k − 1) weight parameters.
    /// Lower is better.
    /// </summary>
    public double Bic(double[][] data)
    {
        var logDensity = LogDensity(data);
        int k = ComponentCount, d = FeatureCount;
        double parameters = k * d * (d + 1) / 2.0 + k * d + (k - 1);
        return -2 * logDensity.Sum() + parameters * Math.Log(logDensity.Length);
    }

    private static GaussianMixture RunEm(Matrix<double> x, double[][] data, int k, int seed, int maxIterations, double tolerance, double regularization)
    {
        int n = x.RowCount;
        var labels = KMeans.Fit(data, k, seed, restarts: 1).Assignments;
        var responsibilities = Matrix<double>.Build.Dense(n, k, (i, c) => labels[i] == c ? 1.0 : 0.0);
        var parameters = MixtureParameters.Estimate(x, responsibilities, regularization);

        double previous = double.NegativeInfinity;
        bool converged = false;
        int iteration = 0;
        while (iteration < maxIterations)
        {
            iteration++;
            var logResponsibilities = LogResponsibilities(parameters.WeightedLogDensities(x), out var logDensity);
            double current = logDensity.Average();
            parameters = MixtureParameters.Estimate(x, logResponsibilities.PointwiseExp(), regularization);
            if (Math.Abs(current - previous) < tolerance)
            {
                converged = true;
                break;
            }
            previous = current;
        }

        // Report the likelihood of the parameters actually returned, not of the step before them.
        LogResponsibilities(parameters.WeightedLogDensities(x), out var finalLogDensity);
        return new GaussianMixture(parameters, finalLogDensity.Average(), n, converged, iteration);
    }

    private Matrix<double> WeightedLogDensities(Matrix<double> x) => _parameters.WeightedLogDensities(x);

    /// <summary>Normalizes each row in log space; <paramref name="logDensity"/> receives the log-sum-exp of each row.</summary>
    private static Matrix<double> LogResponsibilities(Matrix<double> weightedLogDensities, out double[] logDensity)
    {
        int n = weightedLogDensities.RowCount;
        logDensity = new double[n];
        var result = weightedLogDensities.Clone();
        for (int i = 0; i < n; i++)
        {
            logDensity[i] = LogSumExp.Of(weightedLogDensities.Row(i));
            result.SetRow(i, weightedLogDensities.Row(i) - logDensity[i]);
        }
        return result;
    }
}
