using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelC.Runtime.Optimizers;

namespace ModelC.Runtime.Weights;

/// <summary>
/// Everything needed to resume training bit for bit, in one safetensors file: the parameters
/// by name (so the file also loads as plain weights), the optimizer's buffers as
/// <c>optimizer.&lt;buffer&gt;</c> tensors (e.g. <c>optimizer.exp_avg</c>, flat, one value per
/// parameter), and in <c>__metadata__</c> the epoch and step, the optimizer's kind, step count
/// and learning rate, the model's dropout generator and the data generator, plus the caller's
/// metadata. Saving is atomic, so a crash never leaves a damaged checkpoint behind.
/// </summary>
public static class Checkpoint
{
    /// <summary>The tensor-name prefix of optimizer buffers.</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>Writes a checkpoint of <paramref name="model"/> to <paramref name="path"/>: temporary file, flushed, renamed.</summary>
    /// <exception cref="ArgumentException">A caller metadata key starts with <c>modelc.</c>, or a parameter name with <c>optimizer.</c>.</exception>
    public static void Save(string path, IModel model, CheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentOutOfRangeException.ThrowIfNegative(info.Epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(info.Step);
        ArgumentNullException.ThrowIfNull(info.Metadata);
        if ((info.DataRandom.S0 | info.DataRandom.S1 | info.DataRandom.S2 | info.DataRandom.S3) == 0)
        {
            // An all-zero xoshiro state is no generator (Load would refuse it): most likely a default value.
            throw new ArgumentException(
                "The data generator state is all zeros, which no ModelRandom has (a default ModelRandomState?); pass random.GetState().",
                nameof(info));
        }

        string? reserved = info.Metadata.Keys.FirstOrDefault(k => k.StartsWith(CheckpointMetadata.Prefix, StringComparison.Ordinal));
        if (reserved is not null)
        {
            throw new ArgumentException($"Metadata key '{reserved}' is reserved: keys starting with '{CheckpointMetadata.Prefix}' belong to the checkpoint.", nameof(info));
        }

        ParameterInfo? clash = model.ParameterInfos.FirstOrDefault(p => p.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal));
        if (clash is not null)
        {
            throw new ArgumentException($"Parameter '{clash.Name}' cannot be checkpointed: '{OptimizerPrefix}' names optimizer buffers.", nameof(model));
        }

        OptimizerState optimizer = model.Optimizer.ExportState();
        SafetensorsWriter writer = ModelWeights.AddParameters(new SafetensorsWriter(), model);
        foreach ((string name, float[] buffer) in optimizer.Buffers.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            writer.Add(OptimizerPrefix + name, [buffer.Length], buffer);
        }

        foreach ((string key, string value) in info.Metadata)
        {
            writer.Metadata[key] = value;
        }

        Dictionary<string, string> metadata = writer.Metadata;
        metadata[CheckpointMetadata.Format] = CheckpointMetadata.FormatVersion;
        metadata[CheckpointMetadata.Model] = model.Name;
        metadata[CheckpointMetadata.Epoch] = info.Epoch.ToString(CultureInfo.InvariantCulture);
        metadata[CheckpointMetadata.Step] = info.Step.ToString(CultureInfo.InvariantCulture);
        metadata[CheckpointMetadata.OptimizerKind] = optimizer.Kind;
        metadata[CheckpointMetadata.OptimizerStepCount] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
        metadata[CheckpointMetadata.OptimizerLearningRate] = CheckpointMetadata.FormatFloat(model.Optimizer.LearningRate);
        metadata[CheckpointMetadata.ModelRandom] = CheckpointMetadata.FormatRandom(model.Random.GetState());
        metadata[CheckpointMetadata.DataRandom] = CheckpointMetadata.FormatRandom(info.DataRandom);
        writer.Save(path);
    }

    /// <summary>
    /// Restores the parameters, the optimizer's state and learning rate, and the model's
    /// generator from <paramref name="path"/>. The model is changed only when the whole
    /// checkpoint has been read and checked.
    /// </summary>
    /// <returns>The epoch, step, data generator state and caller metadata saved with it.</returns>
    /// <exception cref="InvalidDataException">
    /// Not a valid safetensors file or ModelC checkpoint, or it does not fit the model (names,
    /// shapes, optimizer kind or buffer lengths, a learning rate the optimizer refuses); the
    /// message names the file and the problem, and the model is unchanged.
    /// </exception>
    public static CheckpointInfo Load(string path, IModel model)
    {
        PendingCheckpoint checkpoint = Read(path, model);
        checkpoint.ApplyTo(model);
        return checkpoint.Info;
    }

    /// <summary>Reads and checks everything <see cref="Load"/> would put into <paramref name="model"/>, changing nothing.</summary>
    internal static PendingCheckpoint Read(string path, IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        SafetensorsFile file = SafetensorsFile.Read(path);
        string version = CheckpointMetadata.Required(file, CheckpointMetadata.Format);
        if (version != CheckpointMetadata.FormatVersion)
        {
            throw new InvalidDataException($"{path}: checkpoint format version {version} is not supported (this runtime reads {CheckpointMetadata.FormatVersion}).");
        }

        ModelWeights.ModelState state = ModelWeights.ReadParameters(model, file, name => name.StartsWith(OptimizerPrefix, StringComparison.Ordinal));
        OptimizerState optimizer = ReadOptimizerState(file, model);
        float learningRate = CheckpointMetadata.ParseFloat(file, CheckpointMetadata.OptimizerLearningRate);
        try
        {
            // The optimizer's own rule, checked now so that the setter cannot fail half-way through loading.
            OptimizerArguments.LearningRate(learningRate, CheckpointMetadata.OptimizerLearningRate);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new InvalidDataException(
                $"{path}: checkpoint metadata '{CheckpointMetadata.OptimizerLearningRate}' is {learningRate.ToString(CultureInfo.InvariantCulture)}; a learning rate must be a finite number >= 0.");
        }

        ModelRandomState modelRandom = CheckpointMetadata.ParseRandom(file, CheckpointMetadata.ModelRandom);
        ModelRandomState dataRandom = CheckpointMetadata.ParseRandom(file, CheckpointMetadata.DataRandom);
        long epoch = CheckpointMetadata.ParseLong(file, CheckpointMetadata.Epoch, 0);
        long step = CheckpointMetadata.ParseLong(file, CheckpointMetadata.Step, 0);
        if (epoch > int.MaxValue)
        {
            throw new InvalidDataException($"{path}: checkpoint metadata '{CheckpointMetadata.Epoch}' is {epoch}, beyond any epoch count.");
        }

        Dictionary<string, string> callerMetadata = file.Metadata
            .Where(entry => !entry.Key.StartsWith(CheckpointMetadata.Prefix, StringComparison.Ordinal))
            .ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal);
        return new PendingCheckpoint(path, state, optimizer, learningRate, modelRandom, new CheckpointInfo((int)epoch, step, dataRandom, callerMetadata));
    }

    private static OptimizerState ReadOptimizerState(SafetensorsFile file, IModel model)
    {
        string kind = CheckpointMetadata.Required(file, CheckpointMetadata.OptimizerKind);
        string expectedKind = model.Optimizer.ExportState().Kind;
        if (kind != expectedKind)
        {
            throw new InvalidDataException($"{file.Path}: the checkpoint's optimizer is '{kind}' but the model's is '{expectedKind}'.");
        }

        long stepCount = CheckpointMetadata.ParseLong(file, CheckpointMetadata.OptimizerStepCount, 0);
        if (stepCount > int.MaxValue)
        {
            throw new InvalidDataException($"{file.Path}: checkpoint metadata '{CheckpointMetadata.OptimizerStepCount}' is {stepCount}, too large.");
        }

        var buffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (SafetensorsTensor tensor in file.Tensors.Where(t => t.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)))
        {
            if (tensor.Dtype != SafetensorsDtype.F32 || tensor.Shape.Length != 1 || tensor.Shape[0] != model.ParameterCount)
            {
                throw new InvalidDataException(
                    $"{file.Path}: optimizer buffer {tensor} should be F32 [{model.ParameterCount}], one value per parameter of model {model.Name}.");
            }

            buffers.Add(tensor.Name[OptimizerPrefix.Length..], file.ReadFloats(tensor.Name));
        }

        return new OptimizerState(kind, (int)stepCount, buffers);
    }

    /// <summary>A checkpoint read and checked against a model, waiting to be put into it all at once.</summary>
    internal sealed class PendingCheckpoint(
        string path,
        ModelWeights.ModelState state, OptimizerState optimizer, float learningRate, ModelRandomState modelRandom, CheckpointInfo info)
    {
        public CheckpointInfo Info { get; } = info;

        /// <summary>
        /// The optimizer goes first: it checks its buffers' names before it changes anything (see
        /// <see cref="IOptimizer.ImportState"/>), and nothing after it can fail.
        /// </summary>
        public void ApplyTo(IModel model)
        {
            try
            {
                model.Optimizer.ImportState(optimizer);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: the checkpoint's optimizer state does not fit this model's optimizer: {e.Message}", e);
            }

            model.Optimizer.LearningRate = learningRate;
            state.CopyTo(model);
            model.Random.SetState(modelRandom);
        }
    }
}
