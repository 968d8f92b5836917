using System;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// <c>linear(start, end)</c>, moving every optimizer step: base * (start + (end - start) * s / T)
/// for step s of T = epochs * stepsPerEpoch, so the first step uses base * start and the rate
/// would reach base * end one step after the last (micrograd's 1.0 - 0.9 * k / 100). In PyTorch:
/// LinearLR(start_factor=start, end_factor=end, total_iters=T) stepped after every optimizer
/// step. Steps past T keep base * end.
/// </summary>
public sealed class LinearSchedule : LearningRateSchedule
{
    private readonly float baseLearningRate;
    private readonly double start;
    private readonly double end;
    private readonly long totalSteps;

    public LinearSchedule(float baseLearningRate, double start, double end, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        this.baseLearningRate = baseLearningRate;
        this.start = start;
        this.end = end;
        this.totalSteps = totalSteps;
    }

    public override float LearningRateAt(long step)
    {
        CheckStep(step);
        double progress = Math.Min(step, totalSteps) / (double)totalSteps;
        return (float)(baseLearningRate * (start + ((end - start) * progress)));
    }
}
