using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Data;

/// <summary>
/// A per-feature affine map of one float column, fitted on training data and applied
/// unchanged to any other data: <c>y = (x - shift) × factor + offset</c> for each value of
/// an example, feature by feature, and its exact inverse. Transforms return new columns and
/// datasets; the source is left alone.
/// </summary>
public abstract class ColumnScaler
{
    private readonly float[] shift;
    private readonly float[] factor;
    private readonly float[] offset;
    private readonly int[] shape;

    /// <param name="column">The column fitted.</param>
    /// <param name="shift">Subtracted from each feature first.</param>
    /// <param name="factor">Then multiplied; never zero.</param>
    /// <param name="offset">Then added.</param>
    private protected ColumnScaler(DatasetColumn column, double[] shift, double[] factor, double[] offset)
        : this(column.Name, column.Shape.ToArray(), shift, factor, offset)
    {
    }

    /// <param name="columnName">The column's name.</param>
    /// <param name="shape">Its per-example shape.</param>
    private protected ColumnScaler(string columnName, int[] shape, double[] shift, double[] factor, double[] offset)
    {
        ColumnName = columnName;
        this.shape = shape;
        this.shift = shift.Select(v => (float)v).ToArray();
        this.factor = factor.Select(v => (float)v).ToArray();
        this.offset = offset.Select(v => (float)v).ToArray();
    }

    /// <summary>The name of the column fitted, the one <see cref="Transform(Dataset)"/> replaces.</summary>
    public string ColumnName { get; }

    /// <summary>Values per example, each with its own statistics.</summary>
    public int FeatureCount => shift.Length;

    /// <summary>The per-example shape of the column fitted.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The column's values mapped, as a new column of the same name and shape.</summary>
    public DatasetColumn Transform(DatasetColumn column) => Map(column, forward: true);

    /// <summary>The column's values mapped back to the original units.</summary>
    public DatasetColumn InverseTransform(DatasetColumn column) => Map(column, forward: false);

    /// <summary>The dataset with its column <see cref="ColumnName"/> mapped; the other columns are shared.</summary>
    public Dataset Transform(Dataset dataset) => Replace(dataset, forward: true);

    /// <summary>The dataset with its column <see cref="ColumnName"/> mapped back; the other columns are shared.</summary>
    public Dataset InverseTransform(Dataset dataset) => Replace(dataset, forward: false);

    /// <summary>Maps whole examples in place, for example one input before a prediction.</summary>
    public void Transform(Span<float> examples) => Apply(examples, forward: true);

    /// <summary>Maps whole examples back in place, for example a prediction of a scaled target.</summary>
    public void InverseTransform(Span<float> examples) => Apply(examples, forward: false);

    /// <summary>The float column named <paramref name="name"/>, checked to have examples to fit on.</summary>
    private protected static DatasetColumn FittableColumn(Dataset train, string name)
    {
        ArgumentNullException.ThrowIfNull(train);
        DatasetColumn column = train[name];
        if (column.Kind != TensorKind.Float)
        {
            throw new ArgumentException($"Scaling needs a float column; '{column}' holds integers.", nameof(name));
        }

        if (column.Count == 0)
        {
            throw new ArgumentException($"Column '{name}' has no examples to fit on.", nameof(train));
        }

        return column;
    }

    private Dataset Replace(Dataset dataset, bool forward)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        DatasetColumn target = dataset[ColumnName];
        return new Dataset(dataset.Columns.Select(c => ReferenceEquals(c, target) ? Map(c, forward) : c).ToArray());
    }

    private DatasetColumn Map(DatasetColumn column, bool forward)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.Kind != TensorKind.Float || column.ExampleSize != FeatureCount)
        {
            throw new ArgumentException(
                $"This scaler was fitted on '{ColumnName}' : float[{string.Join(", ", shape)}]; '{column}' does not match.", nameof(column));
        }

        float[] values = column.Floats.ToArray();
        Apply(values, forward);
        return DatasetColumn.OfFloats(column.Name, values, column.Shape.ToArray());
    }

    private void Apply(Span<float> examples, bool forward)
    {
        if (examples.Length % FeatureCount != 0)
        {
            throw new ArgumentException(
                $"{examples.Length} values are not whole examples of {FeatureCount}.", nameof(examples));
        }

        for (int start = 0; start < examples.Length; start += FeatureCount)
        {
            Span<float> example = examples.Slice(start, FeatureCount);
            if (forward)
            {
                TensorPrimitives.Subtract(example, shift, example);
                TensorPrimitives.FusedMultiplyAdd(example, factor, offset, example);
            }
            else
            {
                TensorPrimitives.Subtract(example, offset, example);
                TensorPrimitives.Divide(example, factor, example);
                TensorPrimitives.Add(example, shift, example);
            }
        }
    }

    /// <summary>Per-feature statistics as floats, for the public properties of the scalers.</summary>
    private protected static IReadOnlyList<float> AsFloats(double[] values) => values.Select(v => (float)v).ToArray();
}
