using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;

namespace ModelC.Samples.SkipGram;

public readonly record struct SkipGramEpoch(int Epoch, double Loss);

public sealed record SkipGramRun(IReadOnlyList<SkipGramEpoch> Epochs, double InitialLoss, int Pairs, int BatchSize);

/// <summary>
/// Trains a skip-gram model (inputs <c>center</c>, <c>context</c>, <c>negatives : int&lt;V&gt;[k]</c>,
/// a parameter <c>words [V, D]</c> holding the word vectors) with the train block's optimizer,
/// batch size and epochs, fresh windows, order and negatives every epoch. Written against IModel,
/// so the sample and its tests run the same code.
/// </summary>
public static class SkipGramDemo
{
    public static SkipGramRun Run(IModel model, int[] text, IReadOnlyList<int> counts, int seed, int? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(text);
        int negativesPerPair = NegativesPerPair(model);
        int batchSize = model.TrainingDefaults.Batch ?? 256;
        int epochCount = epochs ?? model.TrainingDefaults.Epochs ?? 5;
        var noise = new SkipGramPairs(counts);
        var random = new ModelRandom(seed);
        var centers = new int[batchSize];
        var contexts = new int[batchSize];
        var negatives = new int[batchSize * negativesPerPair];
        var batch = new ModelData();
        var history = new List<SkipGramEpoch>();
        double? initialLoss = null;
        int pairCount = 0;
        for (int epoch = 1; epoch <= epochCount; epoch++)
        {
            var pairs = SkipGramPairs.Pairs(text, random);
            pairCount = pairs.Length;
            double lossSum = 0;
            for (int start = 0; start < pairs.Length; start += batchSize)
            {
                int size = Math.Min(batchSize, pairs.Length - start);
                for (int k = 0; k < size; k++)
                {
                    (centers[k], contexts[k]) = pairs[start + k];
                    for (int n = 0; n < negativesPerPair; n++) negatives[k * negativesPerPair + n] = noise.DrawNegative(random);
                }
                batch.Set("center", centers.AsMemory(0, size)).Set("context", contexts.AsMemory(0, size))
                    .Set("negatives", negatives.AsMemory(0, size * negativesPerPair));
                initialLoss ??= model.Loss(batch);
                lossSum += model.TrainStep(batch) * size;
            }
            history.Add(new SkipGramEpoch(epoch, lossSum / pairs.Length));
        }
        return new SkipGramRun(history, initialLoss ?? double.NaN, pairCount, batchSize);
    }

    /// <summary>k of the model's <c>negatives : int&lt;V&gt;[k]</c> input.</summary>
    public static int NegativesPerPair(IModel model)
    {
        var negatives = model.Inputs.SingleOrDefault(i => i.Name == "negatives")
            ?? throw new ArgumentException($"The model {model.Name} has no input named 'negatives'.", nameof(model));
        if (negatives.Kind != TensorKind.Int || negatives.Shape.Length != 1)
            throw new ArgumentException($"The model {model.Name} reads '{negatives}', not int<V>[k].", nameof(model));
        return negatives.Shape[0];
    }

    /// <summary>The rows of the model's <c>words</c> parameter: one vector per word id.</summary>
    public static WordVectors Vectors(IModel model)
    {
        var words = model.ParameterInfos.SingleOrDefault(p => p.Name == "words")
            ?? throw new ArgumentException($"The model {model.Name} has no parameter named 'words'.", nameof(model));
        return new WordVectors(model.Parameters.Slice(words.Offset, words.Length).ToArray(), words.Shape[0], words.Shape[1]);
    }
}

/// <summary>Word vectors, compared by cosine similarity.</summary>
public sealed class WordVectors
{
    private readonly float[] values;

    public WordVectors(float[] values, int count, int dimension)
    {
        if (values.Length != count * dimension)
            throw new ArgumentException($"{values.Length} values are not {count} vectors of {dimension}.", nameof(values));
        this.values = values;
        Count = count;
        Dimension = dimension;
    }

    public int Count { get; }

    public int Dimension { get; }

    public ReadOnlySpan<float> this[int id] => values.AsSpan(id * Dimension, Dimension);

    public double Cosine(int a, int b)
    {
        var x = this[a];
        var y = this[b];
        double dot = 0, xx = 0, yy = 0;
        for (int i = 0; i < Dimension; i++)
        {
            dot += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return xx == 0 || yy == 0 ? 0 : dot / Math.Sqrt(xx * yy);
    }

    /// <summary>The <paramref name="count"/> words most similar to <paramref name="id"/>, most similar first, itself excluded.</summary>
    public IReadOnlyList<(int Id, double Cosine)> Nearest(int id, int count) =>
        Enumerable.Range(0, Count).Where(other => other != id)
            .Select(other => (Id: other, Cosine: Cosine(id, other)))
            .OrderByDescending(p => p.Cosine).ThenBy(p => p.Id)
            .Take(count).ToArray();
}
