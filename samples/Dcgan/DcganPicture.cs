using System;
using System.Globalization;
using System.Linq;
using ModelC.Samples.Plots;
using ScottPlot;

namespace ModelC.Samples.Dcgan;

/// <summary>
/// The generator's progress: one panel per snapshot, the first <see cref="Side"/>² images from the
/// fixed evaluation noise tiled into one grey-level picture (white 0, black 1, as the data is ink on white).
/// </summary>
public static class DcganPicture
{
    public const int Side = 8, PanelSize = 320;
    private const int Image = 28;

    /// <summary>Writes the panels to <paramref name="path"/> (.png or .svg), side by side; returns the full path.</summary>
    public static string Save(DcganRun run, string path)
    {
        var panels = new Multiplot();
        panels.RemovePlot(panels.GetPlot(0));
        foreach (Snapshot snapshot in run.Snapshots)
        {
            panels.AddPlot(Panel(snapshot));
        }

        panels.Layout = new ScottPlot.MultiplotLayouts.Grid(1, run.Snapshots.Count);
        return PlotFiles.Save(panels, path, run.Snapshots.Count * PanelSize, PanelSize + 40);
    }

    /// <summary>The first Side × Side images as one [Side·28, Side·28] array, row 0 at the top.</summary>
    public static double[,] Tiles(float[] images)
    {
        var tiles = new double[Side * Image, Side * Image];
        for (int n = 0; n < Side * Side; n++)
        {
            int top = n / Side * Image, left = n % Side * Image;
            for (int r = 0; r < Image; r++)
                for (int c = 0; c < Image; c++)
                    tiles[top + r, left + c] = images[(n * Image * Image) + (r * Image) + c];
        }

        return tiles;
    }

    private static Plot Panel(Snapshot snapshot)
    {
        Plot plot = PlotFiles.NewPlot(
            string.Create(CultureInfo.InvariantCulture, $"step {snapshot.Step}: score {snapshot.Judged.Score:F2}, {snapshot.Judged.ClassesCovered} classes"), "", "");
        plot.Axes.Title.Label.FontSize = 13;
        var heatmap = plot.Add.Heatmap(Tiles(snapshot.Images));
        heatmap.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        plot.HideGrid();
        return plot;
    }
}
