namespace ModelC.Runtime.Schedules;

/// <summary><c>constant</c>: the base learning rate at every step.</summary>
public sealed class ConstantSchedule(float learningRate) : LearningRateSchedule
{
    public override float LearningRateAt(long step)
    {
        CheckStep(step);
        return learningRate;
    }
}
