using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ModelC.Samples.SkipGram;

/// <summary>
/// The words of a text seen at least a minimum number of times, most frequent first, with their
/// counts. Words are lowercased runs of letters, an inner apostrophe kept ("abraham's").
/// </summary>
public sealed partial class Vocabulary
{
    private readonly string[] words;
    private readonly Dictionary<string, int> ids;

    private Vocabulary(string[] words, int[] counts)
    {
        this.words = words;
        Counts = counts;
        ids = words.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i);
    }

    public int Count => words.Length;

    /// <summary>How often each word occurs in the text, by id.</summary>
    public IReadOnlyList<int> Counts { get; }

    public string this[int id] => words[id];

    public static IReadOnlyList<string> Tokenize(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();

    public static Vocabulary Build(IReadOnlyList<string> tokens, int minimumCount)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCount, 1);
        var kept = tokens.GroupBy(t => t, StringComparer.Ordinal)
            .Select(g => (Word: g.Key, Count: g.Count()))
            .Where(p => p.Count >= minimumCount)
            .OrderByDescending(p => p.Count).ThenBy(p => p.Word, StringComparer.Ordinal)
            .ToArray();
        return new Vocabulary(kept.Select(p => p.Word).ToArray(), kept.Select(p => p.Count).ToArray());
    }

    public bool TryGetId(string word, out int id) => ids.TryGetValue(word, out id);

    public int IdOf(string word) =>
        ids.TryGetValue(word, out int id) ? id : throw new KeyNotFoundException($"'{word}' is not in the vocabulary of {Count} words.");

    /// <summary>The ids of the tokens in the vocabulary, in text order; rarer words are dropped.</summary>
    public int[] Encode(IEnumerable<string> tokens) =>
        tokens.Select(t => ids.TryGetValue(t, out int id) ? id : -1).Where(id => id >= 0).ToArray();

    [GeneratedRegex("[a-z]+(?:'[a-z]+)*")]
    private static partial Regex Word();
}
