using System;
using System.Linq;

namespace ModelC.Runtime.Data;

/// <summary>
/// Cuts a <see cref="Dataset"/> into batches, in order or shuffled each epoch by a seeded
/// generator. Every batch is copied into buffers allocated once, and bound by column name into
/// one reused <see cref="ModelData"/>, so iterating allocates nothing after construction.
/// A batch stays valid until the next call to <see cref="Batch"/>.
/// In a data-parallel job every process shuffles alike and takes its shard of each batch.
/// </summary>
public sealed class DataLoader
{
    private readonly Dataset dataset;
    private readonly int[] order;
    private readonly float[][] floatBuffers;
    private readonly int[][] intBuffers;
    private readonly ModelData batch = new();

    /// <param name="dataset">The examples.</param>
    /// <param name="batchSize">Examples per batch; the last batch of an epoch may be smaller unless <paramref name="dropLast"/>.</param>
    /// <param name="random">Shuffles the order at every <see cref="StartEpoch"/>; null keeps the dataset's order.</param>
    /// <param name="dropLast">Skip the last, smaller batch (as PyTorch's <c>drop_last</c>).</param>
    /// <param name="shard">
    /// This process's index among <paramref name="shards"/> processes that share every batch: each
    /// takes a contiguous run of the batch's examples, the runs as equal as they can be.
    /// </param>
    /// <param name="shards">The number of processes sharing every batch; 1 takes whole batches.</param>
    public DataLoader(Dataset dataset, int batchSize, ModelRandom? random = null, bool dropLast = false, int shard = 0, int shards = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, shards);
        if (dropLast && batchSize > dataset.Count)
        {
            throw new ArgumentException(
                $"With dropLast a batch of {batchSize} needs at least that many examples; the dataset has {dataset.Count}.",
                nameof(batchSize));
        }

        this.dataset = dataset;
        BatchSize = Math.Min(batchSize, dataset.Count);
        Random = random;
        DropLast = dropLast;
        Shard = shard;
        Shards = shards;
        order = Enumerable.Range(0, dataset.Count).ToArray();
        floatBuffers = new float[dataset.Columns.Count][];
        intBuffers = new int[dataset.Columns.Count][];
        for (int c = 0; c < dataset.Columns.Count; c++)
        {
            DatasetColumn column = dataset.Columns[c];
            int length = checked(((BatchSize + shards - 1) / shards) * column.ExampleSize);
            if (column.Kind == TensorKind.Float)
            {
                floatBuffers[c] = new float[length];
            }
            else
            {
                intBuffers[c] = new int[length];
            }
        }
    }

    /// <summary>Examples per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>The generator that shuffles each epoch, or null for the dataset's order.</summary>
    public ModelRandom? Random { get; }

    /// <summary>Whether the last, smaller batch of an epoch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>This process's index among the <see cref="Shards"/> processes sharing every batch.</summary>
    public int Shard { get; }

    /// <summary>The number of processes sharing every batch.</summary>
    public int Shards { get; }

    /// <summary>The dataset batched.</summary>
    public Dataset Dataset => dataset;

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The dataset's example indices in this epoch's order.</summary>
    public ReadOnlySpan<int> Order => order;

    /// <summary>
    /// Begins an epoch: with a generator, a fresh permutation of the examples. The permutation
    /// depends only on the generator's state, so a run resumed from a checkpoint that saved the
    /// state sees the same order as an uninterrupted one.
    /// </summary>
    public void StartEpoch()
    {
        if (Random is null)
        {
            return;
        }

        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Random.Shuffle(order.AsSpan());
    }

    /// <summary>The number of examples in batch <paramref name="index"/> of the epoch.</summary>
    public int ExamplesIn(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchCount);
        return Math.Min(BatchSize, dataset.Count - (index * BatchSize));
    }

    /// <summary>The number of examples of batch <paramref name="index"/> that fall to this process's shard (possibly 0).</summary>
    public int ShardExamplesIn(int index)
    {
        int count = ExamplesIn(index);
        return ShardStart(count, Shard + 1) - ShardStart(count, Shard);
    }

    /// <summary>
    /// Copies this process's shard of batch <paramref name="index"/> of the current epoch (the whole
    /// batch without shards) into the loader's buffers and returns them bound by column name. The
    /// same instance is returned every time.
    /// </summary>
    public ModelData Batch(int index)
    {
        int batchCount = ExamplesIn(index);
        int start = ShardStart(batchCount, Shard);
        int count = ShardStart(batchCount, Shard + 1) - start;
        ReadOnlySpan<int> examples = order.AsSpan((index * BatchSize) + start, count);
        for (int c = 0; c < dataset.Columns.Count; c++)
        {
            DatasetColumn column = dataset.Columns[c];
            int length = count * column.ExampleSize;
            if (column.Kind == TensorKind.Float)
            {
                column.GatherFloats(examples, floatBuffers[c]);
                batch.Set(column.Name, floatBuffers[c].AsMemory(0, length));
            }
            else
            {
                column.GatherInts(examples, intBuffers[c]);
                batch.Set(column.Name, (ReadOnlyMemory<int>)intBuffers[c].AsMemory(0, length));
            }
        }

        return batch;
    }

    private int ShardStart(int batchCount, int shard) => (int)((long)batchCount * shard / Shards);
}
