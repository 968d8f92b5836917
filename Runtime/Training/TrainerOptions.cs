using System;
using ModelC.Runtime.Optimizers;

namespace ModelC.Runtime.Training;

/// <summary>
/// What a <see cref="Trainer"/> does, each setting overriding the model's <c>train { }</c> block.
/// A null setting falls back to the block, and then to the default named on the property.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training set; default 10.</summary>
    public int? Epochs { get; init; }

    /// <summary>Examples per optimizer step; default 32.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The optimizer; default the model's own <see cref="IModel.Optimizer"/> (the block's).</summary>
    public IOptimizer? Optimizer { get; init; }

    /// <summary>The base learning rate the schedule scales; default the optimizer's.</summary>
    public float? LearningRate { get; init; }

    /// <summary>The learning-rate schedule; default the block's, else constant.</summary>
    public ScheduleSpec? Schedule { get; init; }

    /// <summary>Rescale the gradient to at most this global L2 norm before each step.</summary>
    public float? ClipNorm { get; init; }

    /// <summary>Clamp every gradient element into [-c, c] before each step.</summary>
    public float? ClipValue { get; init; }

    /// <summary>After each step, rescale weight rows whose L2 norm exceeds this.</summary>
    public float? MaxNorm { get; init; }

    /// <summary>Stop after this many epochs without improvement and restore the best weights; default: never stop early.</summary>
    public int? Patience { get; init; }

    /// <summary>The monitored metric: <c>val_loss</c> (default), <c>val_accuracy</c>, or <c>loss</c> without validation data.</summary>
    public string? Metric { get; init; }

    /// <summary>Seeds the shuffling (and the validation split); default 0.</summary>
    public int? Seed { get; init; }

    /// <summary>Without validation data, hold out this fraction of the training set; default: the block's <c>validation(f)</c>, else none.</summary>
    public float? ValidationFraction { get; init; }

    /// <summary>Writes one CSV row per epoch here (epoch, loss, val_loss, val_accuracy, lr, seconds).</summary>
    public string? LogPath { get; init; }

    /// <summary>Saves a checkpoint here after every epoch, atomically.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// Resumes from this checkpoint (one a Trainer wrote), continuing with the epoch after the one it
    /// saved; a run that had stopped early stays stopped. Nothing changes unless the checkpoint, and
    /// with early stopping the best weights beside it, can be read and fit the model.
    /// </summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Receives a report at most every <see cref="ProgressInterval"/> and at the end of each epoch.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>How often batch reports are sent; default 100 ms.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Train as one replica of a data-parallel job: <see cref="BatchSize"/> examples per process and
    /// step, gradients summed across the group, files and progress from rank 0 only. Null (or a
    /// group of one): train alone.
    /// </summary>
    public ITrainingGroup? Group { get; init; }

    /// <summary>The output scored against the target for accuracy or R²; default: the first float output sized like it.</summary>
    public string? PredictionOutput { get; init; }
}
