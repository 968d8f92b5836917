using System;
using System.Collections.Generic;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;

namespace ModelC.Runtime.Classical;

/// <summary>
/// k-means clustering (Lloyd's algorithm) started by k-means++ and restarted several times,
/// keeping the run with the lowest inertia. All randomness comes from a
/// <see cref="Xoshiro256StarStar"/> generator seeded by the caller, so a seed gives the same
/// clustering on every platform.
/// </summary>
public sealed class KMeans
{
    private readonly Matrix<double> _centers;   // (k, d)

    private KMeans(Matrix<double> centers, int[] assignments, double inertia, int iterations)
    {
        _centers = centers;
        Centers = ReadOnly.RowsOf(centers);
        Assignments = ReadOnly.Of(assignments);
        Inertia = inertia;
        Iterations = iterations;
    }

    /// <summary>Cluster centres, one row per cluster.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Centers { get; }

    /// <summary>Cluster label (0 .. k − 1) of each training row.</summary>
    public IReadOnlyList<int> Assignments { get; }

    /// <summary>Sum of squared distances from each training row to its centre.</summary>
    public double Inertia { get; }

    /// <summary>Lloyd iterations used by the winning restart.</summary>
    public int Iterations { get; }

    public int ClusterCount => _centers.RowCount;

    public int FeatureCount => _centers.ColumnCount;

    /// <summary>Clusters the rows of <paramref name="data"/> into <paramref name="clusters"/> groups.</summary>
    /// <param name="data">Rows are samples; at least <paramref name="clusters"/> rows, finite, all of one length.</param>
    /// <param name="clusters">Number of clusters k, from 1 to the number of rows.</param>
    /// <param name="seed">Seeds k-means++ initialization; restart r uses the same stream continued.</param>
    /// <param name="restarts">Independent k-means++ starts; the lowest inertia wins.</param>
    /// <param name="maxIterations">Lloyd iterations per restart.</param>
    /// <param name="tolerance">
    /// A restart stops when the summed squared movement of the centres is at most
    /// tolerance × (mean per-feature variance of the data), as in scikit-learn.
    /// </param>
    public static KMeans Fit(double[][] data, int clusters, int seed = 0, int restarts = 10, int maxIterations = 300, double tolerance = 1e-4)
    {
        var x = DataChecks.Rows(data, nameof(data));
        if (clusters < 1 || clusters > x.RowCount)
            throw new ArgumentOutOfRangeException(nameof(clusters), clusters, $"clusters must be between 1 and the number of rows ({x.RowCount}), but was {clusters}.");
        DataChecks.AtLeast(restarts, 1, nameof(restarts));
        DataChecks.AtLeast(maxIterations, 1, nameof(maxIterations));
        DataChecks.NonNegative(tolerance, nameof(tolerance));

        double shiftLimit = tolerance * MeanFeatureVariance(x);
        var random = new Xoshiro256StarStar(seed);
        KMeans? best = null;
        for (int r = 0; r < restarts; r++)
        {
            var run = Lloyd(x, PlusPlusCenters(x, clusters, random), maxIterations, shiftLimit);
            if (best is null || run.Inertia < best.Inertia)
                best = run;
        }
        return best!;
    }

    /// <inheritdoc cref="Fit(double[][], int, int, int, int, double)"/>
    public static KMeans Fit(Matrix<double> data, int clusters, int seed = 0, int restarts = 10, int maxIterations = 300, double tolerance = 1e-4)
        => Fit(data?.ToRowArrays()!, clusters, seed, restarts, maxIterations, tolerance);

    /// <summary>Label of the nearest centre for each row.</summary>
    public int[] Predict(double[][] points)
    {
        var x = DataChecks.Rows(points, nameof(points), FeatureCount, "the k-means model");
        var labels = new int[x.RowCount];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = Nearest(_centers, x.Row(i), out _);
        return labels;
    }

    public int Predict(double[] point) => Predict(new[] { point })[0];

    private static KMeans Lloyd(Matrix<double> x, Matrix<double> centers, int maxIterations, double shiftLimit)
    {
        int n = x.RowCount, k = centers.RowCount;
        var labels = new int[n];
        var distances = new double[n];
        int iteration = 0;
        while (iteration < maxIterations)
        {
            iteration++;
            Assign(x, centers, labels, distances);
            var updated = UpdatedCenters(x, centers, labels, distances, k);
            double shift = (updated - centers).FrobeniusNorm();
            centers = updated;
            if (shift * shift <= shiftLimit)
                break;
        }
        // Final assignment so labels and inertia describe the returned centres.
        double inertia = Assign(x, centers, labels, distances);
        return new KMeans(centers, labels, inertia, iteration);
    }

    private static double Assign(Matrix<double> x, Matrix<double> centers, int[] labels, double[] distances)
    {
        double inertia = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = Nearest(centers, x.Row(i), out distances[i]);
            inertia += distances[i];
        }
        return inertia;
    }

    private static Matrix<double> UpdatedCenters(Matrix<double> x, Matrix<double> centers, int[] labels, double[] distances, int k)
    {
        var sums = Matrix<double>.Build.Dense(k, x.ColumnCount);
        var counts = new int[k];
        for (int i = 0; i < labels.Length; i++)
        {
            sums.SetRow(labels[i], sums.Row(labels[i]) + x.Row(i));
            counts[labels[i]]++;
        }
        var taken = new HashSet<int>();
        for (int c = 0; c < k; c++)
        {
            if (counts[c] > 0)
            {
                sums.SetRow(c, sums.Row(c) / counts[c]);
                continue;
            }
            // An empty cluster moves to the worst-fitted point, as scikit-learn does, instead of vanishing.
            int farthest = FarthestUnused(distances, taken);
            taken.Add(farthest);
            sums.SetRow(c, x.Row(farthest));
        }
        return sums;
    }

    private static int FarthestUnused(double[] distances, HashSet<int> taken)
    {
        int farthest = -1;
        for (int i = 0; i < distances.Length; i++)
        {
            if (!taken.Contains(i) && (farthest < 0 || distances[i] > distances[farthest]))
                farthest = i;
        }
        return farthest;
    }

    /// <summary>k-means++: each further centre is a row drawn with probability proportional to its squared distance to the nearest chosen centre.</summary>
    private static Matrix<double> PlusPlusCenters(Matrix<double> x, int k, Random random)
    {
        int n = x.RowCount;
        var centers = Matrix<double>.Build.Dense(k, x.ColumnCount);
        centers.SetRow(0, x.Row(random.Next(n)));
        var nearest = new double[n];
        for (int i = 0; i < n; i++)
            nearest[i] = (x.Row(i) - centers.Row(0)).DotProduct(x.Row(i) - centers.Row(0));

        for (int c = 1; c < k; c++)
        {
            double total = 0;
            foreach (double d in nearest)
                total += d;
            int chosen = total > 0 ? DrawProportional(nearest, total, random) : random.Next(n);
            centers.SetRow(c, x.Row(chosen));
            for (int i = 0; i < n; i++)
            {
                var diff = x.Row(i) - centers.Row(c);
                nearest[i] = Math.Min(nearest[i], diff.DotProduct(diff));
            }
        }
        return centers;
    }

    private static int DrawProportional(double[] weights, double total, Random random)
    {
        double target = random.NextDouble() * total;
        double cumulative = 0;
        int lastPositive = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
                continue;
            cumulative += weights[i];
            lastPositive = i;
            if (cumulative > target)
                return i;
        }
        return lastPositive;
    }

    internal static int Nearest(Matrix<double> centers, Vector<double> point, out double squaredDistance)
    {
        int best = 0;
        squaredDistance = double.PositiveInfinity;
        for (int c = 0; c < centers.RowCount; c++)
        {
            var diff = point - centers.Row(c);
            double d = diff.DotProduct(diff);
            if (d < squaredDistance)
            {
                squaredDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static double MeanFeatureVariance(Matrix<double> x)
    {
        int n = x.RowCount;
        double sum = 0;
        for (int j = 0; j < x.ColumnCount; j++)
        {
            var column = x.Column(j);
            double mean = column.Sum() / n;
            sum += (column - mean).DotProduct(column - mean) / n;
        }
        return sum / x.ColumnCount;
    }
}
