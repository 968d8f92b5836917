using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Runtime.Data;

/// <summary>
/// Seeded, shuffled splits of a <see cref="Dataset"/>: train/validation/test parts and k-fold
/// cross-validation, optionally stratified so that every part keeps the class proportions of
/// an integer target column.
/// </summary>
public static class DatasetSplitting
{
    /// <summary>
    /// Shuffles and cuts the dataset into training, validation and test parts, by default the
    /// 60-20-20 rule of thumb: <c>var (train, validation, test) = data.SplitTrainValidationTest(new ModelRandom(42));</c>
    /// </summary>
    /// <param name="random">Orders the examples; the same seed gives the same parts.</param>
    /// <param name="train">The fraction for training.</param>
    /// <param name="validation">The fraction for validation; the test part gets the rest.</param>
    /// <param name="stratifyBy">An integer column of one class id per example whose proportions every part keeps; null for none.</param>
    public static DatasetSplit SplitTrainValidationTest(
        this Dataset dataset, ModelRandom random, double train = 0.6, double validation = 0.2, string? stratifyBy = null)
    {
        Dataset[] parts = dataset.Split(random, [train, validation, 1.0 - train - validation], stratifyBy);
        return new DatasetSplit(parts[0], parts[1], parts[2]);
    }

    /// <summary>
    /// Shuffles and cuts the dataset into parts of the given fractions (which sum to 1). Part
    /// sizes are the fractions of the count rounded so that they add up to it; with
    /// <paramref name="stratifyBy"/>, each class is spread evenly over the shuffled order before
    /// cutting, so every part holds each class in proportion (to within about one example).
    /// </summary>
    /// <exception cref="ArgumentException">A fraction is not positive, they do not sum to 1, or a part would be empty.</exception>
    public static Dataset[] Split(this Dataset dataset, ModelRandom random, ReadOnlySpan<double> fractions, string? stratifyBy = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(random);
        int[] sizes = PartSizes(dataset.Count, fractions);
        int[] order = ShuffledOrder(dataset, random, stratifyBy);
        var parts = new Dataset[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = dataset.Select(order.AsSpan(start, sizes[i]));
            start += sizes[i];
        }

        return parts;
    }

    /// <summary>
    /// K-fold cross-validation: shuffles the examples once and deals them into
    /// <paramref name="k"/> folds whose sizes differ by at most one; every example is in exactly
    /// one fold's validation part and in the training part of all the others.
    /// </summary>
    /// <param name="stratifyBy">An integer column of class ids whose proportions every fold keeps; null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 2 or above the number of examples.</exception>
    public static IReadOnlyList<DatasetFold> KFold(this Dataset dataset, int k, ModelRandom random, string? stratifyBy = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, dataset.Count);
        int[] order = Enumerable.Range(0, dataset.Count).ToArray();
        random.Shuffle(order.AsSpan());

        // Dealing round-robin gives fold sizes that differ by at most one; dealing class after
        // class, with the count running on, also gives each fold every class to within one.
        int[] dealt = stratifyBy is null ? order : GroupedByClass(order, ClassIds(dataset, stratifyBy));
        var foldOf = new int[dataset.Count];
        for (int position = 0; position < dealt.Length; position++)
        {
            foldOf[dealt[position]] = position % k;
        }

        var folds = new DatasetFold[k];
        for (int fold = 0; fold < k; fold++)
        {
            int[] validation = order.Where(example => foldOf[example] == fold).ToArray();
            int[] train = order.Where(example => foldOf[example] != fold).ToArray();
            folds[fold] = new DatasetFold(fold, dataset.Select(train), dataset.Select(validation));
        }

        return folds;
    }

    // Example counts proportional to the fractions, rounded by largest remainder so they sum to count.
    private static int[] PartSizes(int count, ReadOnlySpan<double> fractions)
    {
        if (fractions.Length < 2)
        {
            throw new ArgumentException("A split needs at least two fractions.", nameof(fractions));
        }

        double total = 0;
        foreach (double fraction in fractions)
        {
            if (!(fraction > 0) || double.IsInfinity(fraction))
            {
                throw new ArgumentException($"Every fraction must be > 0 and finite; got {fraction}.", nameof(fractions));
            }

            total += fraction;
        }

        if (Math.Abs(total - 1.0) > 1e-9)
        {
            throw new ArgumentException($"The fractions must sum to 1; they sum to {total}.", nameof(fractions));
        }

        var sizes = new int[fractions.Length];
        var remainders = new double[fractions.Length];
        int assigned = 0;
        for (int i = 0; i < fractions.Length; i++)
        {
            double exact = fractions[i] * count;
            sizes[i] = (int)Math.Floor(exact);
            remainders[i] = exact - sizes[i];
            assigned += sizes[i];
        }

        foreach (int i in Enumerable.Range(0, fractions.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(count - assigned))
        {
            sizes[i]++;
        }

        int empty = Array.IndexOf(sizes, 0);
        if (empty >= 0)
        {
            throw new ArgumentException(
                $"Part {empty} (fraction {fractions[empty]}) of {count} examples would be empty.", nameof(fractions));
        }

        return sizes;
    }

    // A random permutation of the examples; stratified, each class's members sit at evenly
    // spaced random positions, so any run of the order holds the classes in proportion.
    private static int[] ShuffledOrder(Dataset dataset, ModelRandom random, string? stratifyBy)
    {
        int[] order = Enumerable.Range(0, dataset.Count).ToArray();
        random.Shuffle(order.AsSpan());
        if (stratifyBy is null)
        {
            return order;
        }

        ReadOnlySpan<int> classes = ClassIds(dataset, stratifyBy);
        var classSizes = new Dictionary<int, int>();
        foreach (int id in classes)
        {
            classSizes[id] = classSizes.GetValueOrDefault(id) + 1;
        }

        var seen = new Dictionary<int, int>();
        var keys = new double[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            int id = classes[order[i]];
            int rank = seen.GetValueOrDefault(id);
            seen[id] = rank + 1;
            keys[i] = (rank + random.NextDouble()) / classSizes[id];
        }

        Array.Sort(keys, order);
        return order;
    }

    // The examples ordered by class id, keeping their shuffled order within a class.
    private static int[] GroupedByClass(int[] order, ReadOnlySpan<int> classes)
    {
        var keys = new long[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            keys[i] = ((long)classes[order[i]] << 32) | (uint)i;
        }

        int[] grouped = order.ToArray();
        Array.Sort(keys, grouped);
        return grouped;
    }

    private static ReadOnlySpan<int> ClassIds(Dataset dataset, string column)
    {
        DatasetColumn classes = dataset[column];
        if (classes.Kind != TensorKind.Int || classes.ExampleSize != 1)
        {
            throw new ArgumentException(
                $"Stratifying needs an integer column of one class id per example; '{classes}' is not.", nameof(column));
        }

        return classes.Ints;
    }
}
