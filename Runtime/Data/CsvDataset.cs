using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace ModelC.Runtime.Data;

/// <summary>
/// Reads a CSV file with a header row into a <see cref="Dataset"/>: the chosen feature columns
/// become one float column, the target column a column of class ids or floats. Numbers are
/// read culture-invariantly (a dot for decimals, whatever the machine's locale). Lines of
/// nothing but whitespace count as blank and are skipped. Malformed input raises
/// <see cref="InvalidDataException"/> naming the file, the line and the column; the text it
/// quotes from the file is cut to <see cref="MaxQuotedLength"/> characters.
/// </summary>
public static class CsvDataset
{
    /// <summary>The most characters of a cell or column name an error message quotes (a 10 MB cell makes no 10 MB message).</summary>
    public const int MaxQuotedLength = 64;

    private const int MaxListedColumns = 20;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The CSV file; its first row names the columns.</param>
    /// <param name="target">The column holding the target; null for a dataset of features only.</param>
    /// <param name="features">The feature columns, in the order they should have in each example; null for every column but the target.</param>
    /// <param name="targetKind">Whether the target holds class ids or floats.</param>
    /// <param name="featureName">The name of the features column in the dataset: the model input it feeds.</param>
    /// <param name="targetName">The name of the target column in the dataset: the model target it feeds.</param>
    /// <param name="delimiter">The field separator.</param>
    /// <exception cref="InvalidDataException">The file is empty, lacks a column, has a row of the wrong length or a cell that is not a number.</exception>
    public static Dataset Load(
        string path,
        string? target,
        IReadOnlyList<string>? features = null,
        CsvTarget targetKind = CsvTarget.ClassId,
        string featureName = "x",
        string targetName = "y",
        string delimiter = ",")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Load(reader, path, target, features, targetKind, featureName, targetName, delimiter);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public static Dataset Load(
        TextReader reader,
        string source,
        string? target,
        IReadOnlyList<string>? features = null,
        CsvTarget targetKind = CsvTarget.ClassId,
        string featureName = "x",
        string targetName = "y",
        string delimiter = ",")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            TrimOptions = TrimOptions.Trim,
        };
        using var parser = new CsvParser(reader, configuration);
        try
        {
            return Read(parser, source, target, features, targetKind, featureName, targetName);
        }
        catch (BadDataException error)
        {
            throw new InvalidDataException($"{source}: line {parser.RawRow}: a stray or unclosed quote in field {Quoted(error.Field)}.", error);
        }
        catch (CsvHelperException error)
        {
            // CsvHelper appends a dump of its reader state; the first line says what went wrong.
            throw new InvalidDataException($"{source}: line {parser.RawRow}: {Quoted(error.Message.Split('\n')[0].Trim())}", error);
        }
    }

    private static Dataset Read(
        CsvParser parser, string source, string? target, IReadOnlyList<string>? features, CsvTarget targetKind, string featureName, string targetName)
    {
        if (!ReadRecord(parser))
        {
            throw new InvalidDataException($"{source}: line 1: the file is empty; a header row naming the columns was expected.");
        }

        string[] header = parser.Record!;
        int targetIndex = target is null ? -1 : ColumnIndex(header, target, source);
        int[] featureIndices = (features ?? header.Where((_, i) => i != targetIndex).ToArray())
            .Select(name => ColumnIndex(header, name, source))
            .ToArray();
        if (featureIndices.Length == 0)
        {
            throw new InvalidDataException($"{source}: line 1: no feature columns; the header has only {Listed(header)}.");
        }

        var values = new List<float>();
        var classIds = new List<int>();
        var targets = new List<float>();
        while (ReadRecord(parser))
        {
            string[] record = parser.Record!;
            int line = parser.RawRow;
            if (record.Length != header.Length)
            {
                throw new InvalidDataException($"{source}: line {line}: {record.Length} fields, but the header has {header.Length}.");
            }

            foreach (int column in featureIndices)
            {
                values.Add(Number(record[column], source, line, column, header));
            }

            if (targetIndex >= 0 && targetKind == CsvTarget.ClassId)
            {
                classIds.Add(ClassId(record[targetIndex], source, line, targetIndex, header));
            }
            else if (targetIndex >= 0)
            {
                targets.Add(Number(record[targetIndex], source, line, targetIndex, header));
            }
        }

        if (values.Count == 0)
        {
            throw new InvalidDataException($"{source}: line 2: the file has a header but no rows of data.");
        }

        var featureColumn = DatasetColumn.OfFloats(featureName, values.ToArray(), featureIndices.Length);
        if (targetIndex < 0)
        {
            return new Dataset(featureColumn);
        }

        return new Dataset(
            featureColumn,
            targetKind == CsvTarget.ClassId ? DatasetColumn.OfInts(targetName, classIds.ToArray()) : DatasetColumn.OfFloats(targetName, targets.ToArray(), 1));
    }

    /// <summary>Reads the next record that is not a line of whitespace (CsvHelper skips only empty lines).</summary>
    private static bool ReadRecord(CsvParser parser)
    {
        while (parser.Read())
        {
            if (parser.Record is not [string only] || !string.IsNullOrWhiteSpace(only) || !string.IsNullOrWhiteSpace(parser.RawRecord))
            {
                return true;
            }
        }

        return false;
    }

    private static int ColumnIndex(string[] header, string name, string source)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0)
        {
            throw new InvalidDataException($"{source}: line 1: no column named '{Quoted(name)}'; the header has {Listed(header)}.");
        }

        if (Array.IndexOf(header, name, index + 1) >= 0)
        {
            throw new InvalidDataException($"{source}: line 1: two columns are named '{Quoted(name)}' (columns {index + 1} and {Array.IndexOf(header, name, index + 1) + 1}).");
        }

        return index;
    }

    private static float Number(string cell, string source, int line, int column, string[] header)
    {
        // .NET's parser accepts trailing NUL characters ("1\0" is 1); a cell holding one is no number.
        if (cell.Contains('\0') || !float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            throw CellError(source, line, column, header, $"'{Quoted(cell)}' is not a number");
        }

        if (!float.IsFinite(value))
        {
            throw CellError(source, line, column, header, $"'{Quoted(cell)}' is not a finite float");
        }

        return value;
    }

    private static int ClassId(string cell, string source, int line, int column, string[] header)
    {
        if (cell.Contains('\0') || !int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) || id < 0)
        {
            throw CellError(source, line, column, header, $"'{Quoted(cell)}' is not a class id (an integer >= 0)");
        }

        return id;
    }

    private static InvalidDataException CellError(string source, int line, int column, string[] header, string problem) =>
        new($"{source}: line {line}, column {column + 1} ('{Quoted(header[column])}'): {problem}.");

    private static string Listed(string[] header)
    {
        string listed = string.Join(", ", header.Take(MaxListedColumns).Select(name => $"'{Quoted(name)}'"));
        return header.Length > MaxListedColumns ? $"{listed} and {header.Length - MaxListedColumns} more" : listed;
    }

    /// <summary>Text from the file as a message shows it: control characters escaped, at most <see cref="MaxQuotedLength"/> characters.</summary>
    private static string Quoted(string text)
    {
        var shown = new StringBuilder();
        foreach (char c in text.Length > MaxQuotedLength ? text.AsSpan(0, MaxQuotedLength) : text.AsSpan())
        {
            shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return text.Length > MaxQuotedLength ? $"{shown}... ({text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)" : shown.ToString();
    }
}
