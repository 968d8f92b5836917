using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelC.Runtime.Data;

/// <summary>
/// One named tensor of a <see cref="Dataset"/>: every example's values, row-major and
/// contiguous, with the same per-example <see cref="Shape"/>. The name is the model input or
/// target it feeds, so a column named <c>x</c> binds to <c>input x</c>.
/// </summary>
public sealed class DatasetColumn
{
    private readonly float[]? floats;
    private readonly int[]? ints;

    private DatasetColumn(string name, TensorKind kind, int[] shape, float[]? floats, int[]? ints, int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (int dimension in shape)
        {
            if (dimension <= 0)
            {
                throw new ArgumentException($"Column '{name}' has a dimension of {dimension}; every dimension must be > 0.", nameof(shape));
            }
        }

        int exampleSize = shape.Aggregate(1, (product, dimension) => checked(product * dimension));
        if (length % exampleSize != 0)
        {
            throw new ArgumentException(
                $"Column '{name}' has {length} values, which is not a whole number of examples of {exampleSize}.", nameof(shape));
        }

        Name = name;
        Kind = kind;
        Shape = shape;
        ExampleSize = exampleSize;
        Count = length / exampleSize;
        this.floats = floats;
        this.ints = ints;
    }

    /// <summary>The model input or target this column feeds.</summary>
    public string Name { get; }

    /// <summary>Floats or integers.</summary>
    public TensorKind Kind { get; }

    /// <summary>The per-example shape; empty for one integer (a class id) per example.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Values per example: the product of <see cref="Shape"/>.</summary>
    public int ExampleSize { get; }

    /// <summary>The number of examples.</summary>
    public int Count { get; }

    /// <summary>A float column; <paramref name="shape"/> is per example (e.g. 784, or 1, 28, 28).</summary>
    public static DatasetColumn OfFloats(string name, float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        return new DatasetColumn(name, TensorKind.Float, shape.ToArray(), values, null, values.Length);
    }

    /// <summary>An integer column; with no <paramref name="shape"/> it holds one integer (a class id) per example.</summary>
    public static DatasetColumn OfInts(string name, int[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        return new DatasetColumn(name, TensorKind.Int, shape.ToArray(), null, values, values.Length);
    }

    /// <summary>All float values, example after example.</summary>
    /// <exception cref="InvalidOperationException">The column holds integers.</exception>
    public ReadOnlySpan<float> Floats => floats ?? throw new InvalidOperationException($"Column '{Name}' holds integers, not floats.");

    /// <summary>All integer values, example after example.</summary>
    /// <exception cref="InvalidOperationException">The column holds floats.</exception>
    public ReadOnlySpan<int> Ints => ints ?? throw new InvalidOperationException($"Column '{Name}' holds floats, not integers.");

    /// <summary>The float values of one example.</summary>
    public ReadOnlySpan<float> FloatsOf(int example) => Floats.Slice(CheckedExample(example) * ExampleSize, ExampleSize);

    /// <summary>The integer values of one example.</summary>
    public ReadOnlySpan<int> IntsOf(int example) => Ints.Slice(CheckedExample(example) * ExampleSize, ExampleSize);

    /// <summary>A new column holding the given examples, in the given order (copies).</summary>
    public DatasetColumn Select(ReadOnlySpan<int> examples)
    {
        if (Kind == TensorKind.Float)
        {
            var selected = new float[checked(examples.Length * ExampleSize)];
            GatherFloats(examples, selected);
            return new DatasetColumn(Name, Kind, Shape.ToArray(), selected, null, selected.Length);
        }
        else
        {
            var selected = new int[checked(examples.Length * ExampleSize)];
            GatherInts(examples, selected);
            return new DatasetColumn(Name, Kind, Shape.ToArray(), null, selected, selected.Length);
        }
    }

    /// <summary>The same values under another name, sharing the storage.</summary>
    public DatasetColumn Rename(string name) =>
        new(name, Kind, Shape.ToArray(), floats, ints, floats?.Length ?? ints!.Length);

    /// <summary>Copies the listed examples, in order, into <paramref name="destination"/>.</summary>
    public void GatherFloats(ReadOnlySpan<int> examples, Span<float> destination)
    {
        ReadOnlySpan<float> source = Floats;
        for (int i = 0; i < examples.Length; i++)
        {
            source.Slice(CheckedExample(examples[i]) * ExampleSize, ExampleSize).CopyTo(destination.Slice(i * ExampleSize, ExampleSize));
        }
    }

    /// <summary>Copies the listed examples, in order, into <paramref name="destination"/>.</summary>
    public void GatherInts(ReadOnlySpan<int> examples, Span<int> destination)
    {
        ReadOnlySpan<int> source = Ints;
        for (int i = 0; i < examples.Length; i++)
        {
            source.Slice(CheckedExample(examples[i]) * ExampleSize, ExampleSize).CopyTo(destination.Slice(i * ExampleSize, ExampleSize));
        }
    }

    /// <summary>For example <c>x : float[784] × 60000</c>.</summary>
    public override string ToString()
    {
        string dimensions = string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string type = Kind == TensorKind.Float ? $"float[{dimensions}]" : Shape.Count == 0 ? "int" : $"int[{dimensions}]";
        return $"{Name} : {type} × {Count.ToString(CultureInfo.InvariantCulture)}";
    }

    private int CheckedExample(int example)
    {
        if ((uint)example >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(example), example, $"Column '{Name}' has {Count} examples.");
        }

        return example;
    }
}
