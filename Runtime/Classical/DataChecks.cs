using System;
using System.Collections.Generic;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace ModelC.Runtime.Classical;

/// <summary>
/// Argument validation shared by the classical models. Every failure is an
/// <see cref="ArgumentException"/> whose ParamName is the caller's argument, so a
/// user sees which argument was wrong and where inside it.
/// </summary>
internal static class DataChecks
{
    /// <summary>Checks a rectangular, finite, non-empty row set and copies it into a matrix (n × d).</summary>
    public static Matrix<double> Rows(double[][]? data, string paramName, int minimumRows = 1)
    {
        if (data is null)
            throw new ArgumentNullException(paramName);
        if (data.Length == 0)
            throw new ArgumentException("The data has no rows.", paramName);
        if (data.Length < minimumRows)
            throw new ArgumentException($"The data has {data.Length} row(s) but at least {minimumRows} are needed.", paramName);
        if (data[0] is null)
            throw new ArgumentException("Row 0 is null.", paramName);
        int columns = data[0].Length;
        if (columns == 0)
            throw new ArgumentException("Row 0 has no values.", paramName);

        var matrix = Matrix<double>.Build.Dense(data.Length, columns);
        for (int i = 0; i < data.Length; i++)
        {
            double[] row = data[i] ?? throw new ArgumentException($"Row {i} is null.", paramName);
            if (row.Length != columns)
                throw new ArgumentException($"Row {i} has {row.Length} values but row 0 has {columns}; rows must all have the same length.", paramName);
            for (int j = 0; j < columns; j++)
            {
                RequireFinite(row[j], paramName, $"row {i}, column {j}");
                matrix[i, j] = row[j];
            }
        }
        return matrix;
    }

    /// <summary>Like <see cref="Rows"/>, and also requires each row to have the fitted model's dimension.</summary>
    public static Matrix<double> Rows(double[][]? points, string paramName, int requiredColumns, string modelDescription)
    {
        var matrix = Rows(points, paramName);
        if (matrix.ColumnCount != requiredColumns)
            throw new ArgumentException($"The points have {matrix.ColumnCount} values per row but {modelDescription} was fitted on {requiredColumns}.", paramName);
        return matrix;
    }

    /// <summary>Checks one point against the fitted dimension.</summary>
    public static Vector<double> Point(double[]? point, string paramName, int requiredLength, string modelDescription)
    {
        if (point is null)
            throw new ArgumentNullException(paramName);
        if (point.Length != requiredLength)
            throw new ArgumentException($"The point has {point.Length} values but {modelDescription} was fitted on {requiredLength}.", paramName);
        for (int j = 0; j < point.Length; j++)
            RequireFinite(point[j], paramName, $"value {j}");
        return Vector<double>.Build.DenseOfArray((double[])point.Clone());
    }

    /// <summary>Checks a finite vector, optionally of a given length (e.g. targets matching the rows of X).</summary>
    public static Vector<double> Values(double[]? values, string paramName, int? requiredLength = null, string? lengthReason = null)
    {
        if (values is null)
            throw new ArgumentNullException(paramName);
        if (values.Length == 0)
            throw new ArgumentException("The array is empty.", paramName);
        if (requiredLength is int length && values.Length != length)
            throw new ArgumentException($"The array has {values.Length} values but {length} are needed ({lengthReason}).", paramName);
        for (int i = 0; i < values.Length; i++)
            RequireFinite(values[i], paramName, $"value {i}");
        return Vector<double>.Build.DenseOfArray((double[])values.Clone());
    }

    public static void RequireFinite(double value, string paramName, string where)
    {
        if (double.IsNaN(value))
            throw new ArgumentException($"The value at {where} is NaN.", paramName);
        if (double.IsInfinity(value))
            throw new ArgumentException($"The value at {where} is {(value > 0 ? "+" : "-")}Infinity.", paramName);
    }

    public static void Positive(double value, string paramName)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value <= 0)
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number greater than 0, but was {value.ToString(CultureInfo.InvariantCulture)}.");
    }

    public static void NonNegative(double value, string paramName)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number of at least 0, but was {value.ToString(CultureInfo.InvariantCulture)}.");
    }

    public static void AtLeast(int value, int minimum, string paramName)
    {
        if (value < minimum)
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be at least {minimum}, but was {value}.");
    }
}

/// <summary>Read-only views over copies, so fitted models stay immutable without copying on every access.</summary>
internal static class ReadOnly
{
    public static IReadOnlyList<double> Of(Vector<double> vector) => Array.AsReadOnly(vector.ToArray());

    public static IReadOnlyList<double> Of(double[] values) => Array.AsReadOnly((double[])values.Clone());

    public static IReadOnlyList<int> Of(int[] values) => Array.AsReadOnly((int[])values.Clone());

    /// <summary>Each row of the matrix becomes one read-only list.</summary>
    public static IReadOnlyList<IReadOnlyList<double>> RowsOf(Matrix<double> matrix)
    {
        var rows = new IReadOnlyList<double>[matrix.RowCount];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = Array.AsReadOnly(matrix.Row(i).ToArray());
        return Array.AsReadOnly(rows);
    }

}
