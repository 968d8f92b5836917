using System;
using System.Diagnostics;
using ModelC.Runtime.Training;

namespace ModelC.Samples;

/// <summary>
/// Progress reports for a hand-written training loop, in the Trainer's form, so that the same
/// <see cref="ConsoleProgressBar"/> draws them: call <see cref="AfterBatch"/> after every step and
/// <see cref="EndEpoch"/> after every epoch. Batch reports are sent at most every 100 ms.
/// </summary>
public sealed class LoopProgress(IProgress<TrainingProgress>? sink, int epochs, int batchesPerEpoch)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly Stopwatch run = Stopwatch.StartNew();
    private readonly Stopwatch epochClock = new();
    private TimeSpan lastReport;
    private int epoch;
    private int batch;
    private long examples;
    private double lossSum;

    /// <summary>Starts counting epoch <paramref name="number"/> (from 1).</summary>
    public void StartEpoch(int number)
    {
        (epoch, batch, examples, lossSum, lastReport) = (number, 0, 0, 0, TimeSpan.Zero);
        epochClock.Restart();
    }

    /// <summary>One step done on <paramref name="size"/> examples with mean loss <paramref name="loss"/>.</summary>
    public void AfterBatch(int size, double loss)
    {
        batch++;
        examples += size;
        lossSum += loss * size;
        if (sink is not null && epochClock.Elapsed - lastReport >= Interval)
        {
            lastReport = epochClock.Elapsed;
            sink.Report(Report(null));
        }
    }

    /// <summary>Closes the epoch, with the validation scores if there are any; returns the epoch's record.</summary>
    public EpochResult EndEpoch(Evaluation? validation = null, float learningRate = 0)
    {
        var result = new EpochResult(epoch, lossSum / Math.Max(examples, 1), validation, learningRate, epochClock.Elapsed, SamplesPerSecond);
        sink?.Report(Report(result));
        return result;
    }

    private double SamplesPerSecond => examples / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);

    private TrainingProgress Report(EpochResult? completed)
    {
        double perBatch = epochClock.Elapsed.TotalSeconds / Math.Max(batch, 1);
        long batchesLeft = ((long)(epochs - epoch) * batchesPerEpoch) + (batchesPerEpoch - batch);
        return new TrainingProgress(
            epoch, epochs, completed is null ? batch : batchesPerEpoch, batchesPerEpoch, lossSum / Math.Max(examples, 1), SamplesPerSecond,
            run.Elapsed, TimeSpan.FromSeconds(Math.Max(batchesLeft, 0) * perBatch), completed)
        {
            EpochElapsed = epochClock.Elapsed,
        };
    }
}
