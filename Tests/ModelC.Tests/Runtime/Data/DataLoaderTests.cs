using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using Xunit;

namespace ModelC.Tests.Runtime.Data;

public class DataLoaderTests
{
    // Ten examples whose two features and label all encode the example's index.
    private static Dataset Numbered(int count = 10) => new(
        DatasetColumn.OfFloats("x", Enumerable.Range(0, count).SelectMany(i => new[] { i, i + 0.5f }).ToArray(), 2),
        DatasetColumn.OfInts("y", Enumerable.Range(0, count).ToArray()));

    [Fact]
    public void Unshuffled_batches_follow_the_dataset_order_and_end_with_the_remainder()
    {
        var loader = new DataLoader(Numbered(), batchSize: 4);
        loader.StartEpoch();

        Assert.Equal(3, loader.BatchCount);
        Assert.Equal(new[] { 4, 4, 2 }, Enumerable.Range(0, 3).Select(loader.ExamplesIn));
        ModelData last = loader.Batch(2);
        Assert.Equal(new[] { 8, 9 }, last.Ints("y").ToArray());
        Assert.Equal(new[] { 8f, 8.5f, 9f, 9.5f }, last.Floats("x").ToArray());
    }

    [Fact]
    public void Drop_last_skips_the_smaller_batch()
    {
        var loader = new DataLoader(Numbered(), batchSize: 4, dropLast: true);
        Assert.Equal(2, loader.BatchCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Batch(2));
    }

    [Fact]
    public void A_shuffled_epoch_is_a_permutation_that_keeps_features_with_their_labels()
    {
        var loader = new DataLoader(Numbered(), batchSize: 3, new ModelRandom(7));
        var epochs = new List<int[]>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            loader.StartEpoch();
            var seen = new List<int>();
            for (int b = 0; b < loader.BatchCount; b++)
            {
                ModelData batch = loader.Batch(b);
                ReadOnlySpan<int> labels = batch.Ints("y");
                ReadOnlySpan<float> features = batch.Floats("x");
                for (int i = 0; i < labels.Length; i++)
                {
                    Assert.Equal(labels[i], features[2 * i]);
                    Assert.Equal(labels[i] + 0.5f, features[(2 * i) + 1]);
                    seen.Add(labels[i]);
                }
            }

            Assert.Equal(Enumerable.Range(0, 10), seen.Order());
            epochs.Add(seen.ToArray());
        }

        Assert.NotEqual(Enumerable.Range(0, 10), epochs[0]);
        Assert.NotEqual(epochs[0], epochs[1]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_order()
    {
        int[] OrderFor(int seed)
        {
            var loader = new DataLoader(Numbered(100), 10, new ModelRandom(seed));
            loader.StartEpoch();
            return loader.Order.ToArray();
        }

        Assert.Equal(OrderFor(3), OrderFor(3));
        Assert.NotEqual(OrderFor(3), OrderFor(4));
    }

    [Fact]
    public void Batches_after_the_first_allocate_nothing()
    {
        var loader = new DataLoader(Numbered(1000), 32, new ModelRandom(1));
        loader.StartEpoch();
        loader.Batch(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int b = 0; b < loader.BatchCount; b++)
        {
            loader.Batch(b);
        }

        loader.StartEpoch();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Columns_of_different_lengths_are_rejected_with_both_names()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dataset(
            DatasetColumn.OfFloats("x", new float[6], 2),
            DatasetColumn.OfInts("y", new int[4])));
        Assert.Contains("'y' has 4 examples but 'x' has 3", error.Message);
    }

    [Fact]
    public void A_column_whose_length_is_not_whole_examples_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetColumn.OfFloats("x", new float[7], 2));
        Assert.Contains("7 values", error.Message);
    }

    [Fact]
    public void An_unknown_column_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Numbered()["z"]);
        Assert.Contains("'x', 'y'", error.Message);
    }

    [Fact]
    public void Select_copies_examples_in_the_given_order()
    {
        Dataset picked = Numbered().Select(new[] { 5, 1, 5 });
        Assert.Equal(new[] { 5, 1, 5 }, picked["y"].Ints.ToArray());
        Assert.Equal(new[] { 1f, 1.5f }, picked["x"].FloatsOf(1).ToArray());
    }
}
