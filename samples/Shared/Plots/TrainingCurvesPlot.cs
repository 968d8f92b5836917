using System.Linq;
using ModelC.Runtime.Training;
using ScottPlot;

namespace ModelC.Samples.Plots;

/// <summary>
/// Training curves from a <see cref="TrainingHistory"/>, as Keras users draw <c>history.history</c>:
/// training and validation loss per epoch on the left axis, validation accuracy (for class
/// targets) on the right, and the epoch whose weights were kept marked when it is not the last.
/// </summary>
internal static class TrainingCurvesPlot
{
    public static Plot Create(TrainingHistory history, string title)
    {
        Plot plot = PlotFiles.NewPlot(title, "epoch", "loss");
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var loss = plot.Add.Scatter(epochs, history.Epochs.Select(e => e.TrainLoss).ToArray());
        loss.LegendText = "training loss";
        if (history.Epochs.All(e => e.Validation is not null))
        {
            var validationLoss = plot.Add.Scatter(epochs, history.Epochs.Select(e => e.Validation!.Loss).ToArray());
            validationLoss.LegendText = "validation loss";
            if (history.Epochs.All(e => e.Validation!.Accuracy is not null))
            {
                var accuracy = plot.Add.Scatter(epochs, history.Epochs.Select(e => 100 * e.Validation!.Accuracy!.Value).ToArray());
                accuracy.LegendText = "validation accuracy (%)";
                accuracy.LinePattern = LinePattern.Dashed;
                accuracy.Axes.YAxis = plot.Axes.Right;
                plot.Axes.Right.Label.Text = "accuracy (%)";
            }
        }

        if (history.Best is { } best && best.Epoch != history.Epochs[^1].Epoch)
        {
            var kept = plot.Add.VerticalLine(best.Epoch, 1, Colors.Gray, LinePattern.Dotted);
            kept.LegendText = $"weights kept (epoch {best.Epoch})";
        }

        // Whole epochs only: a tick at 2.5 means nothing.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // Loss falls to the bottom and accuracy climbs to the top: the middle of the right side stays free.
        plot.ShowLegend(Alignment.MiddleRight);
        return plot;
    }
}
