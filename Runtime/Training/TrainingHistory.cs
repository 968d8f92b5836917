using System;
using System.Collections.Generic;

namespace ModelC.Runtime.Training;

/// <summary>What <see cref="Trainer.Fit"/> did, epoch by epoch.</summary>
public sealed record TrainingHistory(
    IReadOnlyList<EpochResult> Epochs,
    int BestEpoch,
    double BestScore,
    string Metric,
    bool StoppedEarly,
    TimeSpan Elapsed)
{
    /// <summary>The record of the epoch whose weights the model holds when early stopping restored them, else the last.</summary>
    public EpochResult? Best => BestEpoch >= 1 && Epochs.Count > 0
        ? Epochs[Math.Clamp(BestEpoch - Epochs[0].Epoch, 0, Epochs.Count - 1)]
        : null;
}
