using System.Collections.Generic;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace ModelC.Samples.Clustering;

/// <summary>A seeded 2-D data set of three Gaussian clusters with known centres, spreads and sizes.</summary>
public static class ThreeClusterData
{
    public static readonly double[][] TrueCenters = { new[] { -4.0, 0.0 }, new[] { 3.0, 4.0 }, new[] { 4.0, -3.0 } };

    private static readonly double[][] Spreads = { new[] { 1.2, 0.8 }, new[] { 0.7, 1.0 }, new[] { 1.0, 0.6 } };

    private static readonly int[] Sizes = { 150, 100, 200 };

    /// <summary>Rows (x, y) and the cluster each was drawn from.</summary>
    public static (double[][] Points, int[] Labels) Generate(int seed)
    {
        var random = new Xoshiro256StarStar(seed);
        var points = new List<double[]>();
        var labels = new List<int>();
        for (int c = 0; c < TrueCenters.Length; c++)
        {
            for (int i = 0; i < Sizes[c]; i++)
            {
                points.Add(new[]
                {
                    Normal.Sample(random, TrueCenters[c][0], Spreads[c][0]),
                    Normal.Sample(random, TrueCenters[c][1], Spreads[c][1]),
                });
                labels.Add(c);
            }
        }
        return (points.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// For each true centre, the index of the recovered centre assigned to it, choosing the permutation with the
    /// smallest total distance (clusterings name their clusters arbitrarily).
    /// </summary>
    public static int[] MatchToTrueCenters(IReadOnlyList<IReadOnlyList<double>> recovered)
    {
        int[]? best = null;
        double bestCost = double.PositiveInfinity;
        foreach (var permutation in Permutations(new[] { 0, 1, 2 }, 0))
        {
            double cost = 0;
            for (int c = 0; c < 3; c++)
            {
                double dx = recovered[permutation[c]][0] - TrueCenters[c][0], dy = recovered[permutation[c]][1] - TrueCenters[c][1];
                cost += System.Math.Sqrt(dx * dx + dy * dy);
            }
            if (cost < bestCost)
                (best, bestCost) = ((int[])permutation.Clone(), cost);
        }
        return best!;
    }

    private static IEnumerable<int[]> Permutations(int[] items, int start)
    {
        if (start == items.Length - 1)
        {
            yield return items;
            yield break;
        }
        for (int i = start; i < items.Length; i++)
        {
            (items[start], items[i]) = (items[i], items[start]);
            foreach (var p in Permutations(items, start + 1))
                yield return p;
            (items[start], items[i]) = (items[i], items[start]);
        }
    }
}
