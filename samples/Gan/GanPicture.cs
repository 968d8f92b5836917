using System;
using System.Globalization;
using System.Linq;
using ModelC.Samples.Plots;
using ScottPlot;

namespace ModelC.Samples.Gan;

/// <summary>
/// The GAN's progression: one panel per snapshot, the mixture's centres drawn as circles of
/// 3 std and the generated points over them, on the same axes in every panel.
/// </summary>
public static class GanPicture
{
    public const int PanelSize = 300;
    private const double Extent = 3.0;

    /// <summary>The number of panel rows and columns for <paramref name="snapshots"/> panels: two rows once there are more than four.</summary>
    public static (int Rows, int Columns) Grid(int snapshots) =>
        snapshots <= 4 ? (1, snapshots) : (2, (snapshots + 1) / 2);

    /// <summary>Writes the panels to <paramref name="path"/> (.png or .svg); returns the full path.</summary>
    public static string Save(GanRun run, string path)
    {
        (int rows, int columns) = Grid(run.Snapshots.Count);
        var panels = new Multiplot();
        panels.RemovePlot(panels.GetPlot(0));
        foreach (SampleQuality snapshot in run.Snapshots)
        {
            panels.AddPlot(Panel(snapshot));
        }

        panels.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        return PlotFiles.Save(panels, path, columns * PanelSize, rows * PanelSize);
    }

    private static Plot Panel(SampleQuality snapshot)
    {
        Plot plot = PlotFiles.NewPlot(
            string.Create(CultureInfo.InvariantCulture, $"step {snapshot.Step}: {snapshot.ModesCovered}/8 modes, {100 * snapshot.NearFraction:F0} % near"),
            "x₁", "x₂");
        plot.Axes.Title.Label.FontSize = 13;
        for (int m = 0; m < RingOfGaussians.Modes; m++)
        {
            var (cx, cy) = RingOfGaussians.Centre(m);
            var circle = plot.Add.Ellipse(cx, cy, 3 * RingOfGaussians.Std, 3 * RingOfGaussians.Std);
            circle.LineColor = Colors.Red;
            circle.LineWidth = 1.5f;
            if (m == 0)
            {
                circle.LegendText = "data: 3 std";
            }
        }

        int count = snapshot.Points.Length / 2;
        double[] xs = Enumerable.Range(0, count).Select(k => (double)snapshot.Points[2 * k]).ToArray();
        double[] ys = Enumerable.Range(0, count).Select(k => (double)snapshot.Points[2 * k + 1]).ToArray();
        var generated = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 2.5f, Colors.SteelBlue.WithAlpha(0.45));
        generated.LegendText = "generated";
        plot.Axes.SetLimits(-Extent, Extent, -Extent, Extent);
        plot.Axes.SquareUnits();
        plot.HideLegend();
        return plot;
    }
}
