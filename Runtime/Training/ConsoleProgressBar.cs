using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace ModelC.Runtime.Training;

/// <summary>
/// Draws training progress on a console the way Keras <c>verbose=1</c> does, on the training
/// thread (so lines never come out of order): on a terminal a per-batch bar with the epoch's
/// time left, samples per second and the running loss, redrawn in place and replaced by the
/// epoch's summary line when it ends; when the output is redirected only the summary lines.
/// It writes plain text only: no ANSI escapes, and on a terminal the bar never wraps.
/// </summary>
/// <example><c>new Trainer(model, new TrainerOptions { Progress = new ConsoleProgressBar() })</c></example>
public sealed class ConsoleProgressBar : IProgress<TrainingProgress>
{
    private const int BarWidth = 30;
    private const int FallbackWidth = 80;

    private readonly TextWriter output;
    private readonly Func<int> width;
    private int drawnLength;

    /// <summary>Writes to <see cref="Console.Out"/>; draws the bar unless the output is redirected.</summary>
    public ConsoleProgressBar()
        : this(Console.Out, interactive: !Console.IsOutputRedirected)
    {
    }

    /// <param name="output">Where the lines go.</param>
    /// <param name="interactive">Whether to redraw a bar in place (a terminal); false prints only one line per epoch.</param>
    /// <param name="width">Columns of the terminal; default the console window's width (80 when it cannot be read).</param>
    public ConsoleProgressBar(TextWriter output, bool interactive, Func<int>? width = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        this.output = output;
        Interactive = interactive;
        this.width = width ?? ConsoleWidth;
    }

    /// <summary>Whether the bar is redrawn in place; otherwise each epoch prints one plain line.</summary>
    public bool Interactive { get; }

    public void Report(TrainingProgress value)
    {
        if (value.CompletedEpoch is { } epoch)
        {
            Clear();
            output.WriteLine(EpochLine(epoch, value.Epochs));
            output.Flush();
            return;
        }

        if (!Interactive)
        {
            return;
        }

        // One column stays free: a line that fills the last column makes some terminals wrap.
        string line = Fit(BarLine(value), Math.Max(width() - 1, 20));
        var text = new StringBuilder("\r").Append(line);
        text.Append(' ', Math.Max(drawnLength - line.Length, 0));
        output.Write(text.ToString());
        output.Flush();
        drawnLength = line.Length;
    }

    /// <summary>The line that closes an epoch: <c>epoch 3/10: loss 0.4321, val_loss 0.4012, val_accuracy 85.2 %, 1.3 s, 38,412 samples/s</c>.</summary>
    public static string EpochLine(EpochResult epoch, int epochs)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"epoch {epoch.Epoch}/{epochs}: loss {epoch.TrainLoss:F4}");
        if (epoch.Validation is { } validation)
        {
            line.Append(CultureInfo.InvariantCulture, $", val_loss {validation.Loss:F4}");
            if (validation.Accuracy is { } accuracy)
            {
                line.Append(CultureInfo.InvariantCulture, $", val_accuracy {100 * accuracy:F1} %");
            }

            if (validation.MeanSquaredError is { } mse)
            {
                line.Append(CultureInfo.InvariantCulture, $", val_mse {mse:G4}");
            }
        }

        line.Append(CultureInfo.InvariantCulture, $", {epoch.Duration.TotalSeconds:F1} s, {epoch.SamplesPerSecond:N0} samples/s");
        return line.ToString();
    }

    /// <summary>The line redrawn during an epoch: <c>epoch 3/10 [=====>....] 52/157 ETA 2 s 38,412 samples/s loss 0.4321</c>.</summary>
    public static string BarLine(TrainingProgress value)
    {
        double done = value.Batches == 0 ? 1 : Math.Clamp((double)value.Batch / value.Batches, 0, 1);
        int filled = (int)(done * BarWidth);
        var bar = new StringBuilder(BarWidth);
        bar.Append('=', filled);
        if (filled < BarWidth)
        {
            bar.Append('>').Append('.', BarWidth - filled - 1);
        }

        TimeSpan left = value.Batch == 0
            ? TimeSpan.Zero
            : TimeSpan.FromTicks((long)(value.EpochElapsed.Ticks * ((double)(value.Batches - value.Batch) / value.Batch)));
        int digits = value.Batches.ToString(CultureInfo.InvariantCulture).Length;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {value.Epoch}/{value.Epochs} [{bar}] {value.Batch.ToString(CultureInfo.InvariantCulture).PadLeft(digits)}/{value.Batches} "
            + $"ETA {Duration(left)}  {value.SamplesPerSecond:N0} samples/s  loss {value.Loss:F4}");
    }

    /// <summary>Whole seconds below a minute (<c>7 s</c>), then minutes and seconds (<c>2:05</c>), then hours (<c>1:02:05</c>).</summary>
    private static string Duration(TimeSpan time)
    {
        long seconds = (long)Math.Ceiling(time.TotalSeconds);
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds} s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:D2}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}"),
        };
    }

    /// <summary>Cuts the line at a space so that no word is split, when it is wider than the terminal.</summary>
    private static string Fit(string line, int columns)
    {
        if (line.Length <= columns)
        {
            return line;
        }

        int cut = line.LastIndexOf(' ', columns);
        return cut > 0 ? line[..cut] : line[..columns];
    }

    private void Clear()
    {
        if (drawnLength > 0)
        {
            output.Write("\r" + new string(' ', drawnLength) + "\r");
            drawnLength = 0;
        }
    }

    private static int ConsoleWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : FallbackWidth;
        }
        catch (IOException)
        {
            return FallbackWidth;
        }
        catch (PlatformNotSupportedException)
        {
            return FallbackWidth;
        }
    }
}
