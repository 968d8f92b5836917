using System.Collections.Generic;

namespace ModelC.Tests.Runtime.Schedules;

/// <summary>schedules.json: torch.optim.lr_scheduler's learning rate at every optimizer step.</summary>
internal sealed record ScheduleFixture(string Torch, double BaseLearningRate, ScheduleCase[] Cases);

/// <summary>One schedule's rates; Losses (reduce_on_plateau) are the losses the scheduler was stepped with at each epoch's end.</summary>
internal sealed record ScheduleCase(string Name, Dictionary<string, double> Arguments, int StepsPerEpoch, int Epochs, double[] Rates, double[]? Losses = null)
{
    public string Label => $"{Name}({string.Join(", ", Arguments)})";
}
