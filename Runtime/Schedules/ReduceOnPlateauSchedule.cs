using System;
using System.Collections.Generic;
using System.Globalization;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// <c>reduce_on_plateau(patience: 10, factor: 0.1, threshold: 1e-4, cooldown: 0, min_lr: 0)</c>:
/// the rate starts at base and is multiplied by factor (never below min_lr) when the monitored
/// loss, given once per epoch through <see cref="ObserveEpoch"/>, has not improved for more than
/// patience epochs; improving means falling below best * (1 - threshold). After a reduction,
/// cooldown epochs are not counted. PyTorch's ReduceLROnPlateau (mode 'min', threshold_mode
/// 'rel'); Keras's ReduceLROnPlateau reduces one epoch earlier (after patience bad epochs, not
/// more than patience). The Trainer feeds it the validation loss, or the training loss without
/// validation data.
/// </summary>
public sealed class ReduceOnPlateauSchedule : LearningRateSchedule
{
    // PyTorch skips reductions smaller than this.
    private const double Epsilon = 1e-8;

    private readonly int patience;
    private readonly double factor;
    private readonly double threshold;
    private readonly int cooldown;
    private readonly double minimumLearningRate;
    private double learningRate;
    private double best = double.PositiveInfinity;
    private int badEpochs;
    private int cooldownLeft;

    public ReduceOnPlateauSchedule(float baseLearningRate, int patience = 10, double factor = 0.1, double threshold = 1e-4, int cooldown = 0, double minLearningRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must lie in (0, 1).");
        }

        learningRate = baseLearningRate;
        this.patience = patience;
        this.factor = factor;
        this.threshold = threshold;
        this.cooldown = cooldown;
        minimumLearningRate = minLearningRate;
    }

    /// <summary>The current rate: it depends on the epochs observed, not on the step.</summary>
    public override float LearningRateAt(long step)
    {
        CheckStep(step);
        return (float)learningRate;
    }

    public override bool ObservesEpochs => true;

    public override void ObserveEpoch(double loss)
    {
        if (loss < best * (1 - threshold))
        {
            best = loss;
            badEpochs = 0;
        }
        else
        {
            badEpochs++;
        }

        if (cooldownLeft > 0)
        {
            cooldownLeft--;
            badEpochs = 0;
        }

        if (badEpochs > patience)
        {
            double reduced = Math.Max(learningRate * factor, minimumLearningRate);
            if (learningRate - reduced > Epsilon)
            {
                learningRate = reduced;
            }

            cooldownLeft = cooldown;
            badEpochs = 0;
        }
    }

    public override IReadOnlyDictionary<string, string> ExportState() => new Dictionary<string, string>
    {
        ["lr"] = learningRate.ToString("R", CultureInfo.InvariantCulture),
        ["best"] = best.ToString("R", CultureInfo.InvariantCulture),
        ["bad_epochs"] = badEpochs.ToString(CultureInfo.InvariantCulture),
        ["cooldown_left"] = cooldownLeft.ToString(CultureInfo.InvariantCulture),
    };

    public override void ImportState(IReadOnlyDictionary<string, string> state)
    {
        double rate = Read(state, "lr", double.Parse);
        double bestSoFar = Read(state, "best", double.Parse);
        int bad = Read(state, "bad_epochs", int.Parse);
        int left = Read(state, "cooldown_left", int.Parse);
        if (!(rate >= 0) || double.IsNaN(bestSoFar) || bad < 0 || left < 0)
        {
            throw new ArgumentException("The reduce_on_plateau state holds a negative or NaN entry.", nameof(state));
        }

        (learningRate, best, badEpochs, cooldownLeft) = (rate, bestSoFar, bad, left);
    }

    private static T Read<T>(IReadOnlyDictionary<string, string> state, string key, Func<string, IFormatProvider, T> parse)
    {
        if (!state.TryGetValue(key, out string? text))
        {
            throw new ArgumentException($"The reduce_on_plateau state has no '{key}'.", nameof(state));
        }

        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"The reduce_on_plateau state's '{key}' is \"{text}\", not a number.", nameof(state));
        }
    }
}
