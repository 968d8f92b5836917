using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace ModelC.Runtime.Weights;

/// <summary>
/// The <c>modelc.*</c> entries of a checkpoint's <c>__metadata__</c>, written and read back as
/// invariant-culture text; floats are stored by their bits so they come back exactly.
/// </summary>
internal static class CheckpointMetadata
{
    public const string Prefix = "modelc.";
    public const string Format = Prefix + "checkpoint";
    public const string FormatVersion = "1";
    public const string Model = Prefix + "model";
    public const string Epoch = Prefix + "epoch";
    public const string Step = Prefix + "step";
    public const string OptimizerKind = Prefix + "optimizer.kind";
    public const string OptimizerStepCount = Prefix + "optimizer.step_count";
    public const string OptimizerLearningRate = Prefix + "optimizer.learning_rate";
    public const string ModelRandom = Prefix + "model_random";
    public const string DataRandom = Prefix + "data_random";

    public static string FormatFloat(float value) =>
        BitConverter.SingleToUInt32Bits(value).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Four xoshiro words, then the waiting Box–Muller value's bits or <c>none</c>.</summary>
    public static string FormatRandom(ModelRandomState state) => string.Join(
        ' ',
        state.S0.ToString("x8", CultureInfo.InvariantCulture),
        state.S1.ToString("x8", CultureInfo.InvariantCulture),
        state.S2.ToString("x8", CultureInfo.InvariantCulture),
        state.S3.ToString("x8", CultureInfo.InvariantCulture),
        state.HasSpareNormal ? FormatFloat(state.SpareNormal) : "none");

    public static string Required(SafetensorsFile file, string key) =>
        file.Metadata.TryGetValue(key, out string? value)
            ? value
            : throw new InvalidDataException($"{file.Path}: not a ModelC checkpoint: its metadata has no '{key}'.");

    public static long ParseLong(SafetensorsFile file, string key, long minimum)
    {
        string text = Required(file, key);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= minimum
            ? value
            : throw Bad(file, key, text, $"a whole number >= {minimum}");
    }

    public static float ParseFloat(SafetensorsFile file, string key)
    {
        string text = Required(file, key);
        return TryParseBits(text, out uint bits)
            ? BitConverter.UInt32BitsToSingle(bits)
            : throw Bad(file, key, text, "8 hex digits of a float's bits");
    }

    public static ModelRandomState ParseRandom(SafetensorsFile file, string key)
    {
        string text = Required(file, key);
        string[] parts = text.Split(' ');
        if (parts.Length == 5
            && TryParseBits(parts[0], out uint s0)
            && TryParseBits(parts[1], out uint s1)
            && TryParseBits(parts[2], out uint s2)
            && TryParseBits(parts[3], out uint s3)
            && (s0 | s1 | s2 | s3) != 0)
        {
            if (parts[4] == "none")
            {
                return new ModelRandomState(s0, s1, s2, s3, false, 0);
            }

            if (TryParseBits(parts[4], out uint spare))
            {
                return new ModelRandomState(s0, s1, s2, s3, true, BitConverter.UInt32BitsToSingle(spare));
            }
        }

        throw Bad(file, key, text, "four non-zero-in-total 8-hex-digit words and 'none' or a float's bits");
    }

    private static bool TryParseBits(string text, out uint bits)
    {
        bits = 0;
        return text.Length == 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bits);
    }

    private static InvalidDataException Bad(SafetensorsFile file, string key, string text, string expected) =>
        new($"{file.Path}: checkpoint metadata '{key}' is \"{text}\", expected {expected}.");
}
