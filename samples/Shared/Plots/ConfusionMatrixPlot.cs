using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelC.Runtime.Training;
using ScottPlot;

namespace ModelC.Samples.Plots;

/// <summary>
/// A confusion matrix as a heatmap: true classes down, predicted classes across, each cell
/// coloured by the share of its true class (so the diagonal is each class's recall) and labelled
/// with its count.
/// </summary>
internal static class ConfusionMatrixPlot
{
    public static Plot Create(ConfusionMatrix confusion, IReadOnlyList<string> classNames, string title)
    {
        int classes = confusion.Classes;
        Plot plot = PlotFiles.NewPlot(title, "predicted class", "true class (colour: share of its images)");
        var share = new double[classes, classes];
        for (int actual = 0; actual < classes; actual++)
        {
            long total = Enumerable.Range(0, classes).Sum(p => confusion[actual, p]);
            for (int predicted = 0; predicted < classes; predicted++)
            {
                share[actual, predicted] = total == 0 ? 0 : (double)confusion[actual, predicted] / total;
            }
        }

        // Row 0 of the heatmap is drawn at the top; cell (r, c) is centred on x = c, y = classes - 1 - r.
        var heatmap = plot.Add.Heatmap(share);
        // Blues runs dark to light; reversed, an empty cell is white and a full one dark blue.
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        heatmap.ManualRange = new Range(0, 1);
        plot.Add.ColorBar(heatmap);
        for (int actual = 0; actual < classes; actual++)
        {
            for (int predicted = 0; predicted < classes; predicted++)
            {
                var count = plot.Add.Text(confusion[actual, predicted].ToString(CultureInfo.InvariantCulture), predicted, classes - 1 - actual);
                count.LabelAlignment = Alignment.MiddleCenter;
                count.LabelFontSize = 11;
                count.LabelFontColor = share[actual, predicted] > 0.5 ? Colors.White : Colors.Black;
            }
        }

        double[] positions = Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, classNames.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Axes.Left.SetTicks(positions, classNames.Reverse().ToArray());
        plot.Axes.SetLimits(-0.5, classes - 0.5, -0.5, classes - 0.5);
        return plot;
    }
}
