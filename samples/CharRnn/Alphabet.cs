using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Samples.CharRnn;

/// <summary>
/// The characters of a text, in ordinal order, each mapped to its index: the ids a character
/// language model reads and predicts.
/// </summary>
public sealed class Alphabet
{
    private readonly char[] characters;
    private readonly Dictionary<char, int> ids;

    private Alphabet(char[] characters)
    {
        this.characters = characters;
        ids = characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    public int Count => characters.Length;

    /// <summary>The alphabet of every character that occurs in <paramref name="text"/>.</summary>
    public static Alphabet Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var present = text.Distinct().ToArray();
        Array.Sort(present);
        return new Alphabet(present);
    }

    public bool Contains(char c) => ids.ContainsKey(c);

    public char this[int id] => characters[id];

    /// <summary>The id of every character; a character outside the alphabet is an error naming its position.</summary>
    public int[] Encode(string text)
    {
        var encoded = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!ids.TryGetValue(text[i], out encoded[i]))
                throw new ArgumentException($"The character '{text[i]}' (U+{(int)text[i]:X4}) at offset {i} is not in the alphabet of {Count} characters.", nameof(text));
        }
        return encoded;
    }

    public string Decode(ReadOnlySpan<int> encoded)
    {
        var text = new char[encoded.Length];
        for (int i = 0; i < encoded.Length; i++) text[i] = characters[encoded[i]];
        return new string(text);
    }

    /// <summary>
    /// Bits per character of the best model that ignores context: the entropy of the character
    /// frequencies of <paramref name="encoded"/>. A language model must beat it to have learned anything.
    /// </summary>
    public static double UnigramBitsPerCharacter(ReadOnlySpan<int> encoded)
    {
        var counts = new Dictionary<int, int>();
        foreach (int id in encoded) counts[id] = counts.GetValueOrDefault(id) + 1;
        double bits = 0;
        foreach (int count in counts.Values)
        {
            double p = count / (double)encoded.Length;
            bits -= p * Math.Log2(p);
        }
        return bits;
    }
}
