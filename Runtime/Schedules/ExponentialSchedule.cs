using System;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// <c>exponential(gamma)</c>: torch.optim.lr_scheduler.ExponentialLR(gamma) stepped once per
/// epoch: base * gamma^epoch, with epoch = step / stepsPerEpoch.
/// </summary>
public sealed class ExponentialSchedule(float baseLearningRate, int stepsPerEpoch, double gamma) : LearningRateSchedule
{
    public override float LearningRateAt(long step)
    {
        CheckStep(step);
        return (float)(baseLearningRate * Math.Pow(gamma, step / stepsPerEpoch));
    }
}
