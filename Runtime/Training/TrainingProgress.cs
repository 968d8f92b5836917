using System;

namespace ModelC.Runtime.Training;

/// <summary>
/// Where training stands, sent through <see cref="TrainerOptions.Progress"/>: enough to draw a
/// progress bar with loss, speed and time left. <see cref="CompletedEpoch"/> is set on the report
/// that closes an epoch.
/// </summary>
public readonly record struct TrainingProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Loss,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan Remaining,
    EpochResult? CompletedEpoch)
{
    /// <summary>Time spent in the current epoch so far, for the epoch's time left.</summary>
    public TimeSpan EpochElapsed { get; init; }

    /// <summary>The fraction of the whole run done, from 0 to 1.</summary>
    public double Fraction => Epochs == 0 || Batches == 0 ? 1 : ((Epoch - 1) + ((double)Batch / Batches)) / Epochs;
}
