using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Weights;

/// <summary>
/// A model's state as a safetensors file: each parameter, and each buffer (batchnorm's
/// <c>running_mean</c>, <c>running_var</c>), is an F32 tensor under its name (<c>fc1.weight</c>)
/// with its PyTorch shape, so a PyTorch <c>state_dict</c> with the same names loads into a
/// ModelC model and the other way round. PyTorch's <c>num_batches_tracked</c> counters, which
/// ModelC does not keep, are accepted and ignored.
/// </summary>
public static class ModelWeights
{
    private const string BatchCounterSuffix = ".num_batches_tracked";
    private const string FormatKey = "format";

    /// <summary>
    /// Writes every parameter and buffer of <paramref name="model"/> to <paramref name="path"/>,
    /// atomically, with <paramref name="metadata"/> as string entries of the file's
    /// <c>__metadata__</c> and, when given, the input <paramref name="standardizer"/> fitted on the
    /// training data, so that prediction can scale its inputs the same way.
    /// </summary>
    /// <exception cref="ArgumentException">A metadata key starts with <c>modelc.</c> (reserved) or is <c>format</c>.</exception>
    public static void Save(IModel model, string path, IReadOnlyDictionary<string, string>? metadata = null, Standardizer? standardizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        SafetensorsWriter writer = AddParameters(new SafetensorsWriter(), model);
        foreach ((string key, string value) in metadata ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(CheckpointMetadata.Prefix, StringComparison.Ordinal) || key == FormatKey)
            {
                throw new ArgumentException($"Metadata key '{key}' is reserved: '{FormatKey}' and keys starting with '{CheckpointMetadata.Prefix}' belong to ModelC.", nameof(metadata));
            }

            ArgumentNullException.ThrowIfNull(value, nameof(metadata));
            writer.Metadata[key] = value;
        }

        if (standardizer is not null)
        {
            ScalerMetadata.Write(standardizer, writer.Metadata);
        }

        writer.Metadata[FormatKey] = "pt";
        writer.Save(path);
    }

    /// <summary>
    /// Replaces the parameters and buffers of <paramref name="model"/> with the tensors of the
    /// same names in <paramref name="path"/>. Nothing changes unless every name, shape and dtype matches.
    /// </summary>
    /// <returns>The file's metadata, with the standardizer saved beside the weights if there is one.</returns>
    /// <exception cref="InvalidDataException">
    /// The file is not valid safetensors, or it lacks a parameter or buffer, has a tensor the model
    /// does not, or a shape or dtype (F32 only) differs; the message names the file and every mismatch.
    /// </exception>
    public static WeightsMetadata Load(IModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        SafetensorsFile file = SafetensorsFile.Read(path);
        ModelState state = ReadParameters(model, file, isOtherTensor: _ => false);
        WeightsMetadata metadata = ReadMetadata(file);
        state.CopyTo(model);
        return metadata;
    }

    /// <summary>The metadata of the weights file at <paramref name="path"/>, without loading it into a model.</summary>
    public static WeightsMetadata ReadMetadata(string path) => ReadMetadata(SafetensorsFile.Read(path));

    private static WeightsMetadata ReadMetadata(SafetensorsFile file) =>
        new(file.Metadata, ScalerMetadata.Read(file.Metadata, file.Path));

    internal static SafetensorsWriter AddParameters(SafetensorsWriter writer, IModel model)
    {
        ReadOnlySpan<float> parameters = model.Parameters;
        foreach (ParameterInfo info in model.ParameterInfos)
        {
            writer.Add(info.Name, info.Shape, parameters.Slice(info.Offset, info.Length));
        }

        ReadOnlySpan<float> buffers = model.Buffers;
        foreach (ParameterInfo info in model.BufferInfos)
        {
            writer.Add(info.Name, info.Shape, buffers.Slice(info.Offset, info.Length));
        }

        return writer;
    }

    /// <summary>
    /// The model's flat parameter and buffer vectors as <paramref name="file"/> holds them, after
    /// checking names, shapes and dtypes; tensors for which <paramref name="isOtherTensor"/> holds
    /// are someone else's (a checkpoint's optimizer buffers) and are neither missing nor extra.
    /// </summary>
    internal static ModelState ReadParameters(IModel model, SafetensorsFile file, Func<string, bool> isOtherTensor)
    {
        IReadOnlyList<ParameterInfo> infos = model.ParameterInfos.Concat(model.BufferInfos).ToArray();
        var problems = new List<string>();
        string[] missing = infos.Where(i => !file.TryGetTensor(i.Name, out _)).Select(i => i.Name).ToArray();
        string[] extra = file.Tensors
            .Where(t => !isOtherTensor(t.Name) && !IsBatchCounter(model, t.Name) && !infos.Any(i => i.Name == t.Name))
            .Select(t => t.Name)
            .ToArray();
        if (missing.Length > 0)
        {
            problems.Add($"missing tensors {string.Join(", ", missing)}");
        }

        if (extra.Length > 0)
        {
            problems.Add($"extra tensors the model does not have: {string.Join(", ", extra)}");
        }

        foreach (ParameterInfo info in infos)
        {
            if (!file.TryGetTensor(info.Name, out SafetensorsTensor tensor))
            {
                continue;
            }

            if (tensor.Dtype != SafetensorsDtype.F32)
            {
                problems.Add($"{info.Name} is {tensor.Dtype}, but parameters are F32");
            }

            if (!tensor.Shape.SequenceEqual(info.Shape.Select(d => (long)d)))
            {
                problems.Add($"{info.Name} has shape [{string.Join(", ", tensor.Shape)}] but the model's is [{string.Join(", ", info.Shape)}]");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException(
                $"{file.Path}: the weights do not fit model {model.Name}: {string.Join("; ", problems)}.");
        }

        var parameters = new float[model.ParameterCount];
        foreach (ParameterInfo info in model.ParameterInfos)
        {
            file.ReadFloats(info.Name, parameters.AsSpan(info.Offset, info.Length));
        }

        var buffers = new float[model.Buffers.Length];
        foreach (ParameterInfo info in model.BufferInfos)
        {
            file.ReadFloats(info.Name, buffers.AsSpan(info.Offset, info.Length));
        }

        return new ModelState(parameters, buffers);
    }

    // PyTorch's BatchNorm keeps an int64 count of training batches next to its running statistics.
    private static bool IsBatchCounter(IModel model, string name) =>
        name.EndsWith(BatchCounterSuffix, StringComparison.Ordinal)
        && model.BufferInfos.Any(b => b.Name == name[..^BatchCounterSuffix.Length] + ".running_mean");

    /// <summary>Parameters and buffers read and checked, waiting to be put into the model all at once.</summary>
    internal sealed record ModelState(float[] Parameters, float[] Buffers)
    {
        public void CopyTo(IModel model)
        {
            Parameters.CopyTo(model.Parameters);
            Buffers.CopyTo(model.Buffers);
        }
    }
}
