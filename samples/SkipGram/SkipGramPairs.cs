using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;

namespace ModelC.Samples.SkipGram;

/// <summary>
/// Training examples for skip-gram with negative sampling, as word2vec makes them: every word of
/// the text is a centre, each word within a window of random width 1..<see cref="MaximumWindow"/>
/// on either side is a context, and the negatives are drawn from the unigram distribution raised
/// to the power 3/4 (so frequent words are drawn less than their share).
/// </summary>
public sealed class SkipGramPairs
{
    public const int MaximumWindow = 3;
    private const double NoisePower = 0.75;
    private readonly double[] cumulativeNoise;

    public SkipGramPairs(IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        cumulativeNoise = new double[counts.Count];
        double total = 0;
        for (int i = 0; i < counts.Count; i++) cumulativeNoise[i] = total += Math.Pow(counts[i], NoisePower);
        for (int i = 0; i < counts.Count; i++) cumulativeNoise[i] /= total;
    }

    /// <summary>Every (centre, context) pair of an epoch, windows drawn from <paramref name="random"/>, in a shuffled order.</summary>
    public static (int Center, int Context)[] Pairs(ReadOnlySpan<int> text, ModelRandom random)
    {
        var pairs = new List<(int, int)>(text.Length * MaximumWindow);
        for (int i = 0; i < text.Length; i++)
        {
            int window = 1 + random.NextInt(MaximumWindow);
            for (int j = Math.Max(0, i - window); j <= Math.Min(text.Length - 1, i + window); j++)
            {
                if (j != i) pairs.Add((text[i], text[j]));
            }
        }
        var shuffled = pairs.ToArray();
        random.Shuffle(shuffled.AsSpan());
        return shuffled;
    }

    /// <summary>A word drawn from the noise distribution.</summary>
    public int DrawNegative(ModelRandom random)
    {
        int index = Array.BinarySearch(cumulativeNoise, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, cumulativeNoise.Length - 1);
    }
}
