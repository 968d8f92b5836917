using System;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// <c>onecycle(max_lr, pct_start: 0.3, div_factor: 25, final_div_factor: 1e4)</c>, moving every
/// optimizer step over T = epochs * stepsPerEpoch steps: cosine from max_lr / div_factor up to
/// max_lr over the first pct_start of the steps, then cosine down to
/// max_lr / div_factor / final_div_factor at the last step. As PyTorch's OneCycleLR
/// (anneal_strategy 'cos', two phases), it sets the rate itself: the optimizer's lr is not used.
/// Unlike PyTorch's default it does not cycle the optimizer's momentum (cycle_momentum=False).
/// Steps past T keep the final rate.
/// </summary>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    private readonly double maxLearningRate;
    private readonly double initialLearningRate;
    private readonly double finalLearningRate;
    private readonly double warmupEnd;
    private readonly long lastStep;

    public OneCycleSchedule(double maxLearningRate, long totalSteps, double pctStart = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        this.maxLearningRate = maxLearningRate;
        initialLearningRate = maxLearningRate / divFactor;
        finalLearningRate = initialLearningRate / finalDivFactor;
        // PyTorch's phase boundaries: the rise ends at step pct_start * T - 1, the fall at T - 1.
        warmupEnd = (pctStart * totalSteps) - 1;
        lastStep = totalSteps - 1;
    }

    public override float LearningRateAt(long step)
    {
        CheckStep(step);
        double s = Math.Min(step, lastStep);
        if (s <= warmupEnd && warmupEnd > 0)
        {
            return Anneal(initialLearningRate, maxLearningRate, s / warmupEnd);
        }

        // A rise shorter than one step (pct_start * T <= 1) starts the fall at max_lr.
        double fallStart = Math.Max(warmupEnd, 0);
        double fallSteps = lastStep - fallStart;
        return fallSteps <= 0 ? (float)maxLearningRate : Anneal(maxLearningRate, finalLearningRate, (s - fallStart) / fallSteps);
    }

    private static float Anneal(double from, double to, double progress) =>
        (float)(to + ((from - to) / 2 * (Math.Cos(Math.PI * progress) + 1)));
}
