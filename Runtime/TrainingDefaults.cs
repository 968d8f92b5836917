namespace ModelC.Runtime;

/// <summary>
/// A model's <c>train { }</c> block as data: the defaults a trainer uses unless the
/// caller overrides them. A null property means the block did not set it. The optimizer
/// here is its spec; the live object, with its state, is the model's <see cref="IModel.Optimizer"/>.
/// </summary>
public sealed record TrainingDefaults
{
    /// <summary>A model without a <c>train { }</c> block.</summary>
    public static TrainingDefaults None { get; } = new();

    /// <summary><c>batch = n</c>: examples per optimizer step.</summary>
    public int? Batch { get; init; }

    /// <summary><c>epochs = n</c>: passes over the training set.</summary>
    public int? Epochs { get; init; }

    /// <summary><c>clip_norm = c</c>: rescale the gradient to global L2 norm at most c.</summary>
    public float? ClipNorm { get; init; }

    /// <summary><c>clip_value = c</c>: clamp every gradient element into [-c, c].</summary>
    public float? ClipValue { get; init; }

    /// <summary><c>max_norm(c)</c>: after each step, rescale weight rows whose L2 norm exceeds c.</summary>
    public float? MaxNorm { get; init; }

    /// <summary><c>seed = n</c>: seed for initialization, shuffling and dropout.</summary>
    public int? Seed { get; init; }

    /// <summary><c>validation(f)</c>: the fraction of the data held out for validation.</summary>
    public float? Validation { get; init; }

    /// <summary><c>early_stopping(patience: n)</c>: epochs without improvement before stopping.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary><c>early_stopping(metric: m)</c>: the monitored metric, e.g. <c>val_loss</c>.</summary>
    public string? EarlyStoppingMetric { get; init; }

    /// <summary><c>optimizer = o(...)</c>: what the model's optimizer is built from (<see cref="Optimizers.OptimizerFactory"/>).</summary>
    public OptimizerSpec? Optimizer { get; init; }

    /// <summary><c>schedule = s(...)</c>: the learning-rate schedule.</summary>
    public ScheduleSpec? Schedule { get; init; }
}
