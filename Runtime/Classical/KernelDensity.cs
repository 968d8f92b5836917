using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;

namespace ModelC.Runtime.Classical;

/// <summary>How <see cref="KernelDensity"/> picks its bandwidth from the data.</summary>
public enum BandwidthRule
{
    /// <summary>Scott's factor n^(−1/(d+4)), times the data's standard deviation.</summary>
    Scott,

    /// <summary>Silverman's factor (n(d+2)/4)^(−1/(d+4)), times the data's standard deviation.</summary>
    Silverman,
}

/// <summary>
/// Kernel density estimate with an isotropic Gaussian kernel of standard deviation h (the bandwidth):
/// p(x) = (1/n) Σ_i N(x | x_i, h² I).
/// </summary>
/// <remarks>
/// <para>
/// The rules follow scipy's <c>gaussian_kde</c>: a factor f = n^(−1/(d+4)) (Scott) or
/// f = (n(d+2)/4)^(−1/(d+4)) (Silverman) multiplies the data's spread, where n is the number of rows
/// and d the number of features. For one feature h = f · s with s the sample standard deviation
/// (divisor n − 1), exactly scipy's bandwidth.
/// </para>
/// <para>
/// For several features scipy uses the kernel covariance f² · Cov(data); this class keeps a single
/// scalar bandwidth instead, h = f · sqrt(mean of the per-feature sample variances), i.e. the
/// isotropic kernel with the same average variance. Standardize features of very different scales first.
/// </para>
/// <para>A bandwidth given as a number is h itself (the kernel's standard deviation), not scipy's factor.</para>
/// </remarks>
public sealed class KernelDensity
{
    private readonly double[][] _samples;   // (n, d)

    private KernelDensity(Matrix<double> samples, double bandwidth)
    {
        _samples = samples.ToRowArrays();
        Bandwidth = bandwidth;
    }

    /// <summary>Kernel standard deviation h.</summary>
    public double Bandwidth { get; }

    public int SampleCount => _samples.Length;

    public int FeatureCount => _samples[0].Length;

    /// <summary>Fits with a bandwidth from <paramref name="rule"/>; needs at least two rows and some spread.</summary>
    public static KernelDensity Fit(double[][] data, BandwidthRule rule = BandwidthRule.Scott)
    {
        var x = DataChecks.Rows(data, nameof(data), minimumRows: 2);
        if (!Enum.IsDefined(rule))
            throw new ArgumentOutOfRangeException(nameof(rule), rule, $"Unknown bandwidth rule {rule}.");
        double spread = Math.Sqrt(MeanSampleVariance(x));
        if (spread == 0)
            throw new ArgumentException("All rows are identical, so a rule-of-thumb bandwidth would be 0; give a bandwidth instead.", nameof(data));
        return new KernelDensity(x, RuleFactor(rule, x.RowCount, x.ColumnCount) * spread);
    }

    /// <summary>Fits with a given kernel standard deviation <paramref name="bandwidth"/> (> 0).</summary>
    public static KernelDensity Fit(double[][] data, double bandwidth)
    {
        var x = DataChecks.Rows(data, nameof(data));
        DataChecks.Positive(bandwidth, nameof(bandwidth));
        return new KernelDensity(x, bandwidth);
    }

    /// <summary>One-feature convenience: each sample is a row of length 1.</summary>
    public static KernelDensity Fit(double[] samples, BandwidthRule rule = BandwidthRule.Scott)
        => Fit(AsRows(samples, nameof(samples)), rule);

    /// <inheritdoc cref="Fit(double[], BandwidthRule)"/>
    public static KernelDensity Fit(double[] samples, double bandwidth)
        => Fit(AsRows(samples, nameof(samples)), bandwidth);

    /// <summary>The rule's factor f for n rows in d dimensions (scipy's <c>scotts_factor</c> / <c>silverman_factor</c>).</summary>
    public static double RuleFactor(BandwidthRule rule, int rows, int dimensions)
    {
        DataChecks.AtLeast(rows, 1, nameof(rows));
        DataChecks.AtLeast(dimensions, 1, nameof(dimensions));
        double exponent = -1.0 / (dimensions + 4);
        return rule switch
        {
            BandwidthRule.Scott => Math.Pow(rows, exponent),
            BandwidthRule.Silverman => Math.Pow(rows * (dimensions + 2) / 4.0, exponent),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, $"Unknown bandwidth rule {rule}."),
        };
    }

    /// <summary>Natural log of the estimated density at each row of <paramref name="points"/>.</summary>
    public double[] LogDensity(double[][] points)
    {
        var x = DataChecks.Rows(points, nameof(points), FeatureCount, "the density").ToRowArrays();
        int n = SampleCount, d = FeatureCount;
        double h2 = Bandwidth * Bandwidth;
        double logNormalizer = Math.Log(n) + 0.5 * d * Math.Log(2 * Math.PI * h2);
        var result = new double[x.Length];
        var exponents = new double[n];
        for (int p = 0; p < result.Length; p++)
        {
            double[] point = x[p];
            for (int i = 0; i < n; i++)
            {
                double squaredDistance = 0;
                for (int j = 0; j < d; j++)
                {
                    double diff = point[j] - _samples[i][j];
                    squaredDistance += diff * diff;
                }
                exponents[i] = -0.5 * squaredDistance / h2;
            }
            // log-sum-exp keeps points far from every sample at a finite log density instead of log 0.
            result[p] = LogSumExp.Of(exponents) - logNormalizer;
        }
        return result;
    }

    public double[] LogDensity(double[] values) => LogDensity(AsPointsFor1D(values));

    /// <summary>Estimated density at each row of <paramref name="points"/>.</summary>
    public double[] Density(double[][] points) => LogDensity(points).Select(Math.Exp).ToArray();

    /// <summary>Density at one-feature values (the model must have one feature).</summary>
    public double[] Density(double[] values) => Density(AsPointsFor1D(values));

    private double[][] AsPointsFor1D(double[] values)
    {
        if (FeatureCount != 1)
            throw new ArgumentException($"The density has {FeatureCount} features; pass points as rows (double[][]).", nameof(values));
        return AsRows(values, nameof(values));
    }

    private static double[][] AsRows(double[] values, string paramName)
    {
        if (values is null)
            throw new ArgumentNullException(paramName);
        if (values.Length == 0)
            throw new ArgumentException("The array is empty.", paramName);
        for (int i = 0; i < values.Length; i++)
            DataChecks.RequireFinite(values[i], paramName, $"value {i}");
        return values.Select(v => new[] { v }).ToArray();
    }

    private static double MeanSampleVariance(Matrix<double> x)
    {
        int n = x.RowCount;
        double total = 0;
        for (int j = 0; j < x.ColumnCount; j++)
        {
            var column = x.Column(j);
            var centred = column - column.Sum() / n;
            total += centred.DotProduct(centred) / (n - 1);
        }
        return total / x.ColumnCount;
    }
}
