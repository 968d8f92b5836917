using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace ModelC.Runtime;

/// <summary>
/// Named tensors for the untyped <see cref="IModel"/> API: inputs and targets a model
/// reads, and output or gradient buffers it writes into. Holds views of the caller's
/// memory and never copies; setting a name that is already present allocates nothing,
/// so a trainer can re-point the same instance at every batch.
/// </summary>
public sealed class ModelData
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The number of named tensors.</summary>
    public int Count => entries.Count;

    /// <summary>The names present, in no particular order.</summary>
    public IReadOnlyCollection<string> Names => entries.Keys;

    /// <summary>Binds <paramref name="name"/> to float values, replacing any earlier binding.</summary>
    public ModelData Set(string name, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Set(name, values.AsMemory());
    }

    /// <summary>Binds <paramref name="name"/> to float values, replacing any earlier binding.</summary>
    public ModelData Set(string name, Memory<float> values)
    {
        EntryFor(name) = new Entry(values, default, TensorKind.Float);
        return this;
    }

    /// <summary>Binds <paramref name="name"/> to integer values, replacing any earlier binding.</summary>
    public ModelData Set(string name, int[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Set(name, (ReadOnlyMemory<int>)values);
    }

    /// <summary>Binds <paramref name="name"/> to integer values, replacing any earlier binding.</summary>
    public ModelData Set(string name, ReadOnlyMemory<int> values)
    {
        EntryFor(name) = new Entry(default, values, TensorKind.Int);
        return this;
    }

    /// <summary>Whether <paramref name="name"/> is bound (to floats or to integers).</summary>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return entries.ContainsKey(name);
    }

    /// <summary>Removes <paramref name="name"/>; returns whether it was bound.</summary>
    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return entries.Remove(name);
    }

    /// <summary>The kind of values bound to <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not bound.</exception>
    public TensorKind KindOf(string name) => Find(name).Kind;

    /// <summary>The float values bound to <paramref name="name"/>, writable.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not bound, or is bound to integers.</exception>
    public Span<float> Floats(string name)
    {
        Entry entry = Find(name);
        if (entry.Kind != TensorKind.Float)
        {
            throw new ArgumentException($"ModelData tensor '{name}' holds integers, not floats.", nameof(name));
        }

        return entry.Floats.Span;
    }

    /// <summary>The integer values bound to <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not bound, or is bound to floats.</exception>
    public ReadOnlySpan<int> Ints(string name)
    {
        Entry entry = Find(name);
        if (entry.Kind != TensorKind.Int)
        {
            throw new ArgumentException($"ModelData tensor '{name}' holds floats, not integers.", nameof(name));
        }

        return entry.Ints.Span;
    }

    private ref Entry EntryFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ref CollectionsMarshal.GetValueRefOrAddDefault(entries, name, out _);
    }

    private Entry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (entries.TryGetValue(name, out Entry entry))
        {
            return entry;
        }

        string known = entries.Count == 0
            ? "it is empty"
            : "it holds " + string.Join(", ", entries.Keys.Order(StringComparer.Ordinal).Select(key => $"'{key}'"));
        throw new ArgumentException($"ModelData has no tensor named '{name}'; {known}.", nameof(name));
    }

    private readonly record struct Entry(Memory<float> Floats, ReadOnlyMemory<int> Ints, TensorKind Kind);
}
