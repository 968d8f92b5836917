using System;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// <c>cosine(warmup)</c>, moving every optimizer step: a linear warm-up over the first
/// <c>warmup</c> epochs, base * (s + 1) / W for step s &lt; W = warmup * stepsPerEpoch, then
/// cosine annealing from base to 0 over the remaining steps,
/// base * (1 + cos(pi * (s - W) / (T - W))) / 2 with T = epochs * stepsPerEpoch. In PyTorch:
/// SequentialLR([LinearLR(start_factor=1/W, total_iters=W-1), CosineAnnealingLR(T_max=T-W)],
/// milestones=[W]) stepped after every optimizer step (CosineAnnealingLR(T_max=T) alone when
/// warmup is 0). Steps past T keep the final rate 0 instead of climbing back up.
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    private readonly float baseLearningRate;
    private readonly long warmupSteps;
    private readonly long totalSteps;

    public CosineSchedule(float baseLearningRate, long warmupSteps, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, Math.Max(warmupSteps, 1));
        this.baseLearningRate = baseLearningRate;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    public override float LearningRateAt(long step)
    {
        CheckStep(step);
        if (step < warmupSteps)
        {
            return (float)((double)baseLearningRate * (step + 1) / warmupSteps);
        }

        long annealSteps = totalSteps - warmupSteps;
        if (annealSteps == 0 || step >= totalSteps)
        {
            return annealSteps == 0 ? baseLearningRate : 0f;
        }

        double progress = (double)(step - warmupSteps) / annealSteps;
        return (float)(baseLearningRate * (1 + Math.Cos(Math.PI * progress)) / 2);
    }
}
