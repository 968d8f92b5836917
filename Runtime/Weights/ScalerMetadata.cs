using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Weights;

/// <summary>
/// A <see cref="Standardizer"/> in a weights file's <c>__metadata__</c>, so that the scaling fitted
/// on the training data travels with the weights: <c>modelc.scaler</c> = <c>standardize</c>, the
/// column's name and shape, and each feature's mean and standard deviation as comma-separated
/// round-trip decimals (PyTorch's loaders ignore metadata, so the file still loads there).
/// </summary>
internal static class ScalerMetadata
{
    public const string Kind = CheckpointMetadata.Prefix + "scaler";
    public const string Column = Kind + ".column";
    public const string Shape = Kind + ".shape";
    public const string Mean = Kind + ".mean";
    public const string StandardDeviation = Kind + ".std";
    public const string StandardizeKind = "standardize";

    public static void Write(Standardizer scaler, IDictionary<string, string> metadata)
    {
        metadata[Kind] = StandardizeKind;
        metadata[Column] = scaler.ColumnName;
        metadata[Shape] = string.Join(",", scaler.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        metadata[Mean] = Join(scaler.Mean);
        metadata[StandardDeviation] = Join(scaler.StandardDeviation);
    }

    /// <summary>The standardizer saved in <paramref name="metadata"/>, or null when none was.</summary>
    /// <exception cref="InvalidDataException">The entries are there but incomplete or malformed.</exception>
    public static Standardizer? Read(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(Kind, out string? kind))
        {
            return null;
        }

        if (kind != StandardizeKind)
        {
            throw new InvalidDataException($"{path}: metadata '{Kind}' is '{kind}'; this runtime reads '{StandardizeKind}'.");
        }

        string column = Required(metadata, Column, path);
        int[] shape = Split(Required(metadata, Shape, path), Shape, path, text => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));
        float[] mean = Split(Required(metadata, Mean, path), Mean, path, ParseFloat);
        float[] deviation = Split(Required(metadata, StandardDeviation, path), StandardDeviation, path, ParseFloat);
        try
        {
            return Standardizer.FromStatistics(column, mean, deviation, shape);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: the saved standardizer is not valid: {e.Message}", e);
        }
    }

    private static string Join(IReadOnlyList<float> values) =>
        string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static float ParseFloat(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Required(IReadOnlyDictionary<string, string> metadata, string key, string path) =>
        metadata.TryGetValue(key, out string? value)
            ? value
            : throw new InvalidDataException($"{path}: metadata '{Kind}' is set but '{key}' is missing.");

    private static T[] Split<T>(string text, string key, string path, Func<string, T> parse)
    {
        try
        {
            return text.Split(',').Select(parse).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: metadata '{key}' is not a comma-separated list of numbers.", e);
        }
    }
}
