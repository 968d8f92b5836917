using System.Collections.Generic;

namespace ModelC.Tests.Runtime.Schedules;

/// <summary>schedules.json: torch.optim.lr_scheduler's learning rate at every optimizer step.</summary>
internal sealed record ScheduleFixture(string Torch, double BaseLearningRate, ScheduleCase[] Cases);

internal sealed record ScheduleCase(string Name, Dictionary<string, double> Arguments, int StepsPerEpoch, int Epochs, double[] Rates)
{
    public string Label => $"{Name}({string.Join(", ", Arguments)})";
}
