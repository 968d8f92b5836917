using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Runtime.Data;

/// <summary>
/// Examples in memory as named columns of equal length: the inputs and targets of a model,
/// bound by name (column <c>x</c> feeds <c>input x</c>, column <c>y</c> feeds <c>target y</c>).
/// Immutable; selecting examples copies them.
/// </summary>
public sealed class Dataset
{
    private readonly DatasetColumn[] columns;

    /// <summary>A dataset of the given columns, which must hold the same number of examples and distinct names.</summary>
    public Dataset(params DatasetColumn[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0)
        {
            throw new ArgumentException("A dataset needs at least one column.", nameof(columns));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (DatasetColumn column in columns)
        {
            ArgumentNullException.ThrowIfNull(column, nameof(columns));
            if (!names.Add(column.Name))
            {
                throw new ArgumentException($"Two columns are named '{column.Name}'.", nameof(columns));
            }

            if (column.Count != columns[0].Count)
            {
                throw new ArgumentException(
                    $"Column '{column.Name}' has {column.Count} examples but '{columns[0].Name}' has {columns[0].Count}.",
                    nameof(columns));
            }
        }

        this.columns = columns.ToArray();
    }

    /// <summary>The number of examples.</summary>
    public int Count => columns[0].Count;

    /// <summary>The columns, in the order given.</summary>
    public IReadOnlyList<DatasetColumn> Columns => columns;

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">There is no such column; the message lists the ones there are.</exception>
    public DatasetColumn this[string name] =>
        columns.FirstOrDefault(column => column.Name == name)
        ?? throw new ArgumentException(
            $"The dataset has no column named '{name}'; it has {string.Join(", ", columns.Select(c => $"'{c.Name}'"))}.",
            nameof(name));

    /// <summary>Whether a column is named <paramref name="name"/>.</summary>
    public bool Contains(string name) => columns.Any(column => column.Name == name);

    /// <summary>A new dataset of the listed examples, in the listed order (copies).</summary>
    public Dataset Select(ReadOnlySpan<int> examples)
    {
        var selected = new DatasetColumn[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            selected[i] = columns[i].Select(examples);
        }

        return new Dataset(selected);
    }

    /// <summary>A new dataset of <paramref name="count"/> consecutive examples from <paramref name="start"/> (copies).</summary>
    public Dataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start > Count - count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"[{start}, {start}+{count}) is not inside the dataset's {Count} examples.");
        }

        return Select(Enumerable.Range(start, count).ToArray());
    }

    /// <summary>For example <c>Dataset(60000): x : float[784], y : int</c>.</summary>
    public override string ToString() =>
        $"Dataset({Count}): {string.Join(", ", columns.Select(c => c.ToString().Split(" × ")[0]))}";
}
