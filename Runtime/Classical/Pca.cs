using System;
using System.Collections.Generic;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ModelC.Runtime.Classical;

/// <summary>
/// Principal component analysis fitted by singular value decomposition of the centred data,
/// with scikit-learn's semantics: explained variances use the unbiased (n − 1) estimator, the
/// ratio is relative to the total variance of all components (kept or not), and each component's
/// sign is fixed so that its largest-magnitude entry is positive.
/// </summary>
public sealed class Pca
{
    private readonly Matrix<double> _components;      // (k, d), rows are unit principal axes
    private readonly Vector<double> _mean;            // (d)
    private readonly Vector<double> _scale;           // (k), sqrt(explained variance) when whitening, else 1

    private Pca(Matrix<double> components, Vector<double> mean, Vector<double> explainedVariance, Vector<double> explainedVarianceRatio, bool whiten)
    {
        _components = components;
        _mean = mean;
        _scale = whiten ? explainedVariance.PointwiseSqrt() : Vector<double>.Build.Dense(explainedVariance.Count, 1.0);
        Components = ReadOnly.RowsOf(components);
        Mean = ReadOnly.Of(mean);
        ExplainedVariance = ReadOnly.Of(explainedVariance);
        ExplainedVarianceRatio = ReadOnly.Of(explainedVarianceRatio);
        Whiten = whiten;
    }

    /// <summary>Principal axes, one unit-length row per component, in order of decreasing variance.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Components { get; }

    /// <summary>Variance of the data along each component (unbiased, divides by n − 1).</summary>
    public IReadOnlyList<double> ExplainedVariance { get; }

    /// <summary>Each component's share of the total variance of the data.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>Per-feature mean subtracted before projecting.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Whether <see cref="Transform(double[][])"/> scales each projection to unit variance.</summary>
    public bool Whiten { get; }

    public int ComponentCount => _components.RowCount;

    public int FeatureCount => _components.ColumnCount;

    /// <summary>Fits PCA to <paramref name="data"/> (rows are samples).</summary>
    /// <param name="data">At least two rows, all of the same length, finite.</param>
    /// <param name="components">Components to keep; all of min(rows, columns) when null.</param>
    /// <param name="whiten">Divide projections by the component's standard deviation, so each output has unit variance.</param>
    public static Pca Fit(double[][] data, int? components = null, bool whiten = false)
    {
        var x = DataChecks.Rows(data, nameof(data), minimumRows: 2);
        int n = x.RowCount, d = x.ColumnCount;
        int maximum = Math.Min(n, d);
        int kept = components ?? maximum;
        if (kept < 1 || kept > maximum)
            throw new ArgumentOutOfRangeException(nameof(components), kept, $"components must be between 1 and min(rows, columns) = {maximum}, but was {kept}.");

        var mean = x.ColumnSums() / n;
        var centred = x - Matrix<double>.Build.Dense(n, d, (_, j) => mean[j]);

        // The singular values and right vectors of X equal those of R in X = QR, so a thin QR first
        // keeps the SVD at d × d instead of building an n × n left factor for tall data.
        var reduced = n > d ? centred.QR(QRMethod.Thin).R : centred;
        var svd = reduced.Svd(computeVectors: true);
        var singular = svd.S;
        var allAxes = svd.VT;                                       // (d, d) rows are axes

        var variance = singular.PointwiseMultiply(singular) / (n - 1);
        double totalVariance = variance.Sum();
        var axes = allAxes.SubMatrix(0, kept, 0, d);
        FixSigns(axes);

        var keptVariance = variance.SubVector(0, kept);
        var ratio = totalVariance > 0 ? keptVariance / totalVariance : Vector<double>.Build.Dense(kept);
        if (whiten)
        {
            for (int c = 0; c < kept; c++)
            {
                if (keptVariance[c] <= 1e-12 * Math.Max(totalVariance, double.Epsilon))
                    throw new ArgumentException($"Component {c} has no variance (the data has lower rank), so it cannot be whitened; keep fewer components.", nameof(components));
            }
        }
        return new Pca(axes, mean, keptVariance, ratio, whiten);
    }

    /// <inheritdoc cref="Fit(double[][], int?, bool)"/>
    public static Pca Fit(Matrix<double> data, int? components = null, bool whiten = false)
        => Fit(data?.ToRowArrays()!, components, whiten);

    /// <summary>Projects rows onto the components: (X − mean) Vᵀ, divided by the component std when whitening.</summary>
    public double[][] Transform(double[][] points)
    {
        var x = DataChecks.Rows(points, nameof(points), FeatureCount, "the PCA");
        var projected = (x - Matrix<double>.Build.Dense(x.RowCount, FeatureCount, (_, j) => _mean[j])) * _components.Transpose();
        for (int c = 0; c < ComponentCount; c++)
            projected.SetColumn(c, projected.Column(c) / _scale[c]);
        return projected.ToRowArrays();
    }

    public double[] Transform(double[] point) => Transform(new[] { point })[0];

    /// <summary>Maps projections back to feature space: Z V + mean (undoing whitening first). Exact when all components are kept.</summary>
    public double[][] InverseTransform(double[][] projections)
    {
        var z = DataChecks.Rows(projections, nameof(projections), ComponentCount, "the PCA's component count");
        for (int c = 0; c < ComponentCount; c++)
            z.SetColumn(c, z.Column(c) * _scale[c]);
        var x = z * _components + Matrix<double>.Build.Dense(z.RowCount, FeatureCount, (_, j) => _mean[j]);
        return x.ToRowArrays();
    }

    public double[] InverseTransform(double[] projection) => InverseTransform(new[] { projection })[0];

    // SVD signs are arbitrary; making the largest-|value| entry positive gives the same axes on every run and platform.
    private static void FixSigns(Matrix<double> axes)
    {
        for (int c = 0; c < axes.RowCount; c++)
        {
            var row = axes.Row(c);
            int largest = row.AbsoluteMaximumIndex();
            if (row[largest] < 0)
                axes.SetRow(c, -row);
        }
    }
}
