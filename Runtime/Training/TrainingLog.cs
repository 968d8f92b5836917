using System;
using System.Globalization;
using System.IO;

namespace ModelC.Runtime.Training;

/// <summary>
/// The training log as CSV, one row per epoch, flushed after every row so that a crash keeps
/// the epochs already done. Numbers use the invariant culture; missing values are empty cells.
/// </summary>
public sealed class TrainingLog : IDisposable
{
    public const string Header = "epoch,loss,val_loss,val_accuracy,val_mse,lr,seconds,samples_per_second";

    private readonly StreamWriter writer;

    /// <param name="path">The CSV file.</param>
    /// <param name="append">Add rows to an existing log (when resuming) instead of starting a new one.</param>
    public TrainingLog(string path, bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        bool writeHeader = !append || !File.Exists(path) || new FileInfo(path).Length == 0;
        writer = new StreamWriter(path, append);
        if (writeHeader)
        {
            writer.WriteLine(Header);
            writer.Flush();
        }
    }

    /// <summary>Writes one epoch's row.</summary>
    public void Write(EpochResult epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        writer.WriteLine(string.Join(
            ",",
            epoch.Epoch.ToString(CultureInfo.InvariantCulture),
            Number(epoch.TrainLoss),
            Number(epoch.Validation?.Loss),
            Number(epoch.Validation?.Accuracy),
            Number(epoch.Validation?.MeanSquaredError),
            Number(epoch.LearningRate),
            Number(epoch.Duration.TotalSeconds),
            Number(epoch.SamplesPerSecond)));
        writer.Flush();
    }

    public void Dispose() => writer.Dispose();

    private static string Number(double? value) =>
        value is { } v && !double.IsNaN(v) ? v.ToString("G9", CultureInfo.InvariantCulture) : string.Empty;
}
