using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// The learning rate as a function of the optimizer step, the runtime side of a train
/// block's <c>schedule = ...</c>. Epoch-based schedules (<c>step</c>, <c>exponential</c>)
/// change the rate at epoch boundaries, like a PyTorch scheduler stepped once per epoch;
/// <c>cosine</c> and <c>warmup_linear</c> move every optimizer step.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The schedule names and their arguments with defaults (null: required), as the compiler's TrainBinder accepts them.</summary>
    private static readonly IReadOnlyDictionary<string, (string Name, double? Default)[]> Signatures =
        new Dictionary<string, (string, double?)[]>(StringComparer.Ordinal)
        {
            ["constant"] = [],
            ["step"] = [("every", null), ("gamma", 0.1)],
            ["exponential"] = [("gamma", null)],
            ["cosine"] = [("warmup", 0)],
            ["warmup_linear"] = [("steps", null)],
        };

    /// <summary>The learning rate for the optimizer step with 0-based index <paramref name="step"/>.</summary>
    public abstract float LearningRateAt(long step);

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

        if (!Signatures.TryGetValue(spec.Name, out (string Name, double? Default)[]? signature))
        {
            throw new ArgumentException(
                $"Unknown schedule '{spec.Name}' (known: {string.Join(", ", Signatures.Keys)}).", nameof(spec));
        }

        var arguments = new ScheduleArguments(spec, signature);
        return spec.Name switch
        {
            "constant" => new ConstantSchedule(baseLearningRate),
            "step" => new StepSchedule(baseLearningRate, stepsPerEpoch, arguments.Whole("every", 1), arguments.Positive("gamma")),
            "exponential" => new ExponentialSchedule(baseLearningRate, stepsPerEpoch, arguments.Positive("gamma")),
            "cosine" => new CosineSchedule(
                baseLearningRate,
                warmupSteps: (long)arguments.Whole("warmup", 0, maximum: epochs) * stepsPerEpoch,
                totalSteps: (long)epochs * stepsPerEpoch),
            "warmup_linear" => new LinearWarmupSchedule(baseLearningRate, arguments.Whole("steps", 1)),
            _ => throw new InvalidOperationException($"schedule '{spec.Name}' has a signature but no implementation"),
        };
    }

    /// <summary>Rejects negative steps; every schedule starts at step 0.</summary>
    protected static void CheckStep(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
    }

    /// <summary>Reads a spec's arguments against a signature: defaults filled in, unknown names and bad values rejected.</summary>
    private sealed class ScheduleArguments
    {
        private readonly ScheduleSpec spec;
        private readonly Dictionary<string, double> values = new(StringComparer.Ordinal);

        public ScheduleArguments(ScheduleSpec spec, (string Name, double? Default)[] signature)
        {
            this.spec = spec;
            string usage = $"{spec.Name}({string.Join(", ", signature.Select(p => p.Default is null ? p.Name : $"{p.Name}: {p.Default}"))})";
            foreach (string name in spec.Arguments.Keys)
            {
                if (!signature.Any(p => p.Name == name))
                {
                    throw new ArgumentException($"Schedule '{spec.Name}' has no argument '{name}': {usage}.", name);
                }
            }

            foreach ((string name, double? fallback) in signature)
            {
                if (spec.Arguments.TryGetValue(name, out double value))
                {
                    values[name] = value;
                }
                else if (fallback is double d)
                {
                    values[name] = d;
                }
                else
                {
                    throw new ArgumentException($"Schedule '{spec.Name}' needs argument '{name}': {usage}.", name);
                }
            }
        }

        public int Whole(string name, int minimum, int maximum = int.MaxValue)
        {
            double value = values[name];
            if (value != Math.Floor(value) || value < minimum || value > maximum)
            {
                string range = maximum == int.MaxValue ? $">= {minimum}" : $"in [{minimum}, {maximum}] (the number of epochs)";
                throw new ArgumentOutOfRangeException(name, value, $"Schedule '{spec.Name}': '{name}' must be a whole number {range}.");
            }

            return (int)value;
        }

        public double Positive(string name)
        {
            double value = values[name];
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Schedule '{spec.Name}': '{name}' must be a finite number > 0.");
            }

            return value;
        }
    }
}
