using System;
using System.IO;
using System.Linq;
using ModelC.Runtime.Training;
using Xunit;

namespace ModelC.Tests.Runtime.Training;

public class ConsoleProgressBarTests
{
    private static readonly Evaluation Validation = new(100, 0.40126, null, null);

    private static TrainingProgress During(int epoch, int batch, int batches = 157) =>
        new TrainingProgress(epoch, 10, batch, batches, 0.43214, 38_412.4, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), null)
        {
            EpochElapsed = TimeSpan.FromSeconds(1),
        };

    private static TrainingProgress Closing(int epoch) =>
        new(epoch, 10, 157, 157, 0.4321, 38_412, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20),
            new EpochResult(epoch, 0.4321, Validation, 1e-3f, TimeSpan.FromSeconds(1.26), 38_412));

    [Fact]
    public void The_bar_shows_batches_time_left_speed_and_loss()
    {
        string line = ConsoleProgressBar.BarLine(During(3, 52));

        // 52 of 157 batches took 1 s: 105 more take 2.02 s, shown rounded up.
        Assert.Equal("epoch 3/10 [=========>....................]  52/157 ETA 3 s  38,412 samples/s  loss 0.4321", line);
    }

    [Fact]
    public void On_a_terminal_the_bar_is_redrawn_in_place_then_replaced_by_the_epoch_line()
    {
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, interactive: true, width: () => 200);

        bar.Report(During(1, 10));
        bar.Report(During(1, 100));
        bar.Report(Closing(1));

        string text = output.ToString();
        Assert.StartsWith("\repoch 1/10 [=", text);
        Assert.Equal(2, text.Count(c => c == '\n') + 1);
        Assert.EndsWith("\repoch 1/10: loss 0.4321, val_loss 0.4013, 1.3 s, 38,412 samples/s\n", text.Replace("\r\n", "\n"));
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void A_narrow_terminal_cuts_the_bar_between_words_so_it_never_wraps()
    {
        var output = new StringWriter();
        new ConsoleProgressBar(output, interactive: true, width: () => 60).Report(During(1, 10));

        string line = output.ToString().TrimStart('\r');
        Assert.True(line.Length <= 59, line);
        Assert.Equal(line, ConsoleProgressBar.BarLine(During(1, 10))[..line.Length]);
        Assert.Equal(' ', ConsoleProgressBar.BarLine(During(1, 10))[line.Length]);
    }

    [Fact]
    public void Redirected_output_gets_one_plain_line_per_epoch()
    {
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, interactive: false);

        bar.Report(During(1, 10));
        bar.Report(Closing(1));
        bar.Report(During(2, 10));
        bar.Report(Closing(2));

        Assert.Equal(
            "epoch 1/10: loss 0.4321, val_loss 0.4013, 1.3 s, 38,412 samples/s\nepoch 2/10: loss 0.4321, val_loss 0.4013, 1.3 s, 38,412 samples/s\n",
            output.ToString().Replace("\r\n", "\n"));
    }
}
