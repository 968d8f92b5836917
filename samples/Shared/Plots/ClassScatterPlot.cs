using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace ModelC.Samples.Plots;

/// <summary>2-D points coloured by class, one legend entry per class (latent spaces, PCA maps, clusters).</summary>
internal static class ClassScatterPlot
{
    public static Plot Create(double[][] points, int[] labels, IReadOnlyList<string> classNames, string title, string xLabel, string yLabel, bool legend = true)
    {
        Plot plot = PlotFiles.NewPlot(title, xLabel, yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        for (int c = 0; c < classNames.Count; c++)
        {
            int[] members = Enumerable.Range(0, points.Length).Where(i => labels[i] == c).ToArray();
            if (members.Length == 0)
            {
                continue;
            }

            var scatter = plot.Add.ScatterPoints(members.Select(i => points[i][0]).ToArray(), members.Select(i => points[i][1]).ToArray(), palette.GetColor(c).WithAlpha(0.7));
            scatter.MarkerSize = 4;
            scatter.LegendText = classNames[c];
        }

        if (legend)
        {
            plot.ShowLegend(Edge.Right);
        }

        return plot;
    }
}
