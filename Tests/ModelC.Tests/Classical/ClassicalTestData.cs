using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;
using Xunit;

namespace ModelC.Tests.Classical;

/// <summary>Seeded synthetic data with known generating parameters, and label comparison up to permutation.</summary>
internal static class ClassicalTestData
{
    /// <summary>n rows drawn from N(mean, covariance) using x = mean + L z with L the Cholesky factor.</summary>
    public static double[][] Gaussian(int n, double[] mean, double[,] covariance, Random random)
    {
        var factor = Matrix<double>.Build.DenseOfArray(covariance).Cholesky().Factor;
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var z = Vector<double>.Build.Dense(mean.Length, _ => Normal.Sample(random, 0, 1));
            rows[i] = (factor * z + Vector<double>.Build.DenseOfArray(mean)).ToArray();
        }
        return rows;
    }

    /// <summary>Three well-separated 2-D clusters with different sizes and shapes; returns the rows and the true label of each.</summary>
    public static (double[][] Rows, int[] Labels) ThreeClusters(int seed)
    {
        var random = new Xoshiro256StarStar(seed);
        var rows = new List<double[]>();
        var labels = new List<int>();
        for (int c = 0; c < ClusterMeans.Length; c++)
        {
            rows.AddRange(Gaussian(ClusterSizes[c], ClusterMeans[c], ClusterCovariances[c], random));
            labels.AddRange(Enumerable.Repeat(c, ClusterSizes[c]));
        }
        return (rows.ToArray(), labels.ToArray());
    }

    public static readonly double[][] ClusterMeans = { new[] { 0.0, 0.0 }, new[] { 10.0, 0.0 }, new[] { 0.0, 10.0 } };

    public static readonly int[] ClusterSizes = { 100, 200, 300 };

    public static readonly double[][,] ClusterCovariances =
    {
        new[,] { { 1.0, 0.0 }, { 0.0, 1.0 } },
        new[,] { { 0.5, 0.3 }, { 0.3, 0.8 } },
        new[,] { { 1.5, -0.4 }, { -0.4, 0.4 } },
    };

    /// <summary>
    /// Asserts the predicted labels equal the true ones after renaming, and returns the renaming
    /// (true label → predicted label).
    /// </summary>
    public static int[] AssertSamePartition(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int clusters)
    {
        Assert.Equal(truth.Count, predicted.Count);
        var mapping = Enumerable.Repeat(-1, clusters).ToArray();
        for (int i = 0; i < truth.Count; i++)
        {
            if (mapping[truth[i]] < 0)
                mapping[truth[i]] = predicted[i];
            Assert.Equal(mapping[truth[i]], predicted[i]);
        }
        Assert.Equal(clusters, mapping.Distinct().Count());
        return mapping;
    }

    /// <summary>Maximum-likelihood (divide by n) covariance of the given rows.</summary>
    public static Matrix<double> MaximumLikelihoodCovariance(IEnumerable<double[]> rows)
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(rows);
        var mean = x.ColumnSums() / x.RowCount;
        var centred = x - Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (_, j) => mean[j]);
        return centred.TransposeThisAndMultiply(centred) / x.RowCount;
    }
}
