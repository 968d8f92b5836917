using System;
using System.IO;
using ScottPlot;
using SkiaSharp;

namespace ModelC.Samples.Plots;

/// <summary>Writes plots as PNG or SVG, chosen by the file's extension.</summary>
internal static class PlotFiles
{
    // ScottPlot's default on Linux is the first serif face fontconfig lists; prefer a sans one that is installed.
    private static readonly Lazy<string> SansFont = new(() =>
        Array.Find(["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial"], name => SKFontManager.Default.MatchFamily(name) is not null)
        ?? Fonts.Default);

    /// <summary>Saves <paramref name="plot"/> at <paramref name="width"/> × <paramref name="height"/> pixels; returns the full path.</summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    public static string Save(Plot plot, string path, int width, int height)
    {
        string fullPath = Path.GetFullPath(path);
        switch (FormatOf(path))
        {
            case ".png":
                plot.SavePng(fullPath, width, height);
                break;
            default:
                plot.SaveSvg(fullPath, width, height);
                break;
        }

        return fullPath;
    }

    /// <summary>Saves panels side by side (or in the multiplot's layout); returns the full path.</summary>
    public static string Save(Multiplot panels, string path, int width, int height)
    {
        string fullPath = Path.GetFullPath(path);
        if (FormatOf(path) == ".png")
        {
            panels.SavePng(fullPath, width, height);
            return fullPath;
        }

        // ScottPlot saves a single plot as SVG; a multiplot renders onto Skia's SVG canvas the same way.
        using (var stream = File.Create(fullPath))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
        {
            panels.Render(canvas, new PixelRect(0, width, height, 0));
        }

        return fullPath;
    }

    /// <summary>Panels in one row, each with its own axes.</summary>
    public static Multiplot SideBySide(params Plot[] plots)
    {
        var panels = new Multiplot();
        panels.RemovePlot(panels.GetPlot(0));
        foreach (Plot plot in plots)
        {
            panels.AddPlot(plot);
        }

        panels.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return panels;
    }

    /// <summary>A new plot in the samples' style: a sans-serif font, white background.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(SansFont.Value);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    private static string FormatOf(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".png" or ".svg"
            ? extension
            : throw new ArgumentException($"'{path}': pictures are written as .png or .svg.", nameof(path));
    }
}
