using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Specs;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// The learning rate as a function of the optimizer step, the runtime side of a train
/// block's <c>schedule = ...</c>. Epoch-based schedules (<c>step</c>, <c>exponential</c>)
/// change the rate at epoch boundaries, like a PyTorch scheduler stepped once per epoch;
/// <c>cosine</c>, <c>warmup_linear</c>, <c>linear</c> and <c>onecycle</c> move every optimizer
/// step; <c>reduce_on_plateau</c> moves when the loss given at the end of each epoch stalls.
/// </summary>
public abstract class LearningRateSchedule
{
    private delegate LearningRateSchedule Constructor(IReadOnlyDictionary<string, double> arguments, float baseLearningRate, int stepsPerEpoch, int epochs);

    /// <summary>
    /// How each schedule of <see cref="TrainingSpecs.Schedules"/> (the table the compiler checks
    /// train blocks against: names, defaults, ranges) is built from its checked arguments.
    /// </summary>
    private static readonly Dictionary<string, Constructor> Constructors = new(StringComparer.Ordinal)
    {
        ["constant"] = (a, lr, perEpoch, epochs) => new ConstantSchedule(lr),
        ["step"] = (a, lr, perEpoch, epochs) => new StepSchedule(lr, perEpoch, (int)a["every"], a["gamma"]),
        ["exponential"] = (a, lr, perEpoch, epochs) => new ExponentialSchedule(lr, perEpoch, a["gamma"]),
        ["cosine"] = (a, lr, perEpoch, epochs) => new CosineSchedule(lr, (long)a["warmup"] * perEpoch, (long)epochs * perEpoch),
        ["warmup_linear"] = (a, lr, perEpoch, epochs) => new LinearWarmupSchedule(lr, (int)a["steps"]),
        ["linear"] = (a, lr, perEpoch, epochs) => new LinearSchedule(lr, a["start"], a["end"], (long)epochs * perEpoch),
        ["onecycle"] = (a, lr, perEpoch, epochs) =>
            new OneCycleSchedule(a["max_lr"], (long)epochs * perEpoch, a["pct_start"], a["div_factor"], a["final_div_factor"]),
        ["reduce_on_plateau"] = (a, lr, perEpoch, epochs) =>
            new ReduceOnPlateauSchedule(lr, (int)a["patience"], a["factor"], a["threshold"], (int)a["cooldown"], a["min_lr"]),
    };

    /// <summary>The learning rate for the optimizer step with 0-based index <paramref name="step"/>.</summary>
    public abstract float LearningRateAt(long step);

    /// <summary>Whether the rate depends on the loss at the end of each epoch (<c>reduce_on_plateau</c>), given by <see cref="ObserveEpoch"/>.</summary>
    public virtual bool ObservesEpochs => false;

    /// <summary>The monitored loss at the end of an epoch; schedules of the step alone ignore it.</summary>
    public virtual void ObserveEpoch(double loss)
    {
    }

    /// <summary>What a checkpoint must keep to resume the schedule (empty: the step alone decides the rate).</summary>
    public virtual IReadOnlyDictionary<string, string> ExportState() => new Dictionary<string, string>();

    /// <summary>Restores <see cref="ExportState"/>'s entries.</summary>
    /// <exception cref="ArgumentException">An entry is missing or unreadable.</exception>
    public virtual void ImportState(IReadOnlyDictionary<string, string> state)
    {
    }

    /// <summary>
    /// From a train block's schedule (null means constant). Epoch-based schedules use
    /// <paramref name="stepsPerEpoch"/>; <c>cosine</c> also needs <paramref name="epochs"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown schedule or argument name, or an argument out of range; the message names it.</exception>
    public static LearningRateSchedule Create(ScheduleSpec? spec, float baseLearningRate, int stepsPerEpoch, int epochs)
    {
        if (!float.IsFinite(baseLearningRate) || baseLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "The base learning rate must be a finite number >= 0.");
        }

        if (stepsPerEpoch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, "There must be at least one step per epoch.");
        }

        if (epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "There must be at least one epoch.");
        }

        if (spec is null)
        {
            return new ConstantSchedule(baseLearningRate);
        }

        CallSpec table = TrainingSpecs.Schedule(spec.Name) ?? throw new ArgumentException(
            $"Unknown schedule '{spec.Name}' (known: {string.Join(", ", TrainingSpecs.Schedules.Select(s => s.Name))}).", nameof(spec));
        Dictionary<string, double> arguments = table.Resolve(spec.Arguments, out string? problem, out string? argument)
            ?? throw new ArgumentException($"Schedule {problem}.", argument);
        if (spec.Name == "cosine" && arguments["warmup"] > epochs)
        {
            throw new ArgumentOutOfRangeException(
                "warmup", arguments["warmup"], $"Schedule 'cosine': 'warmup' must be a whole number in [0, {epochs}] (the number of epochs).");
        }

        if (!Constructors.TryGetValue(spec.Name, out Constructor? construct))
        {
            throw new InvalidOperationException($"schedule '{spec.Name}' has a spec but no implementation");
        }

        return construct(arguments, baseLearningRate, stepsPerEpoch, epochs);
    }

    /// <summary>Rejects negative steps; every schedule starts at step 0.</summary>
    protected static void CheckStep(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
    }
}
