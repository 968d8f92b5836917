using System;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// <c>warmup_linear(steps)</c>: base * min(1, (s + 1) / steps) for step s, so the first step
/// uses base / steps and step steps - 1 onward the full rate. In PyTorch:
/// LinearLR(start_factor=1/steps, total_iters=steps-1) stepped after every optimizer step.
/// </summary>
public sealed class LinearWarmupSchedule : LearningRateSchedule
{
    private readonly float baseLearningRate;
    private readonly int steps;

    public LinearWarmupSchedule(float baseLearningRate, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        this.baseLearningRate = baseLearningRate;
        this.steps = steps;
    }

    public override float LearningRateAt(long step)
    {
        CheckStep(step);
        return step + 1 >= steps ? baseLearningRate : (float)((double)baseLearningRate * (step + 1) / steps);
    }
}
