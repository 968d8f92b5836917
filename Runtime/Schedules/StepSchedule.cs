using System;

namespace ModelC.Runtime.Schedules;

/// <summary>
/// <c>step(every, gamma)</c>: torch.optim.lr_scheduler.StepLR(step_size=every, gamma) stepped
/// once per epoch: base * gamma^floor(epoch / every), with epoch = step / stepsPerEpoch.
/// </summary>
public sealed class StepSchedule(float baseLearningRate, int stepsPerEpoch, int every, double gamma) : LearningRateSchedule
{
    public override float LearningRateAt(long step)
    {
        CheckStep(step);
        long decays = step / stepsPerEpoch / every;
        return (float)(baseLearningRate * Math.Pow(gamma, decays));
    }
}
