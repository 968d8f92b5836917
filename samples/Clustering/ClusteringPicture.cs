using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelC.Runtime.Classical;
using ModelC.Samples.Plots;
using ScottPlot;

namespace ModelC.Samples.Clustering;

/// <summary>
/// Two panels: the points coloured by mixture component with each component's 1- and 2-std
/// ellipses, the k-means centres and the true centres; and a histogram of the first feature with
/// the kernel density estimate drawn over it.
/// </summary>
public static class ClusteringPicture
{
    public const int Width = 1300, Height = 600;

    /// <summary>Writes both panels to <paramref name="path"/> (.png or .svg); returns the full path.</summary>
    public static string Save(double[][] points, GaussianMixture mixture, KMeans kMeans, IReadOnlyList<double[]> trueCenters, KernelDensity kde, double[] feature, string path)
    {
        Plot clusters = Clusters(points, mixture, kMeans, trueCenters);
        Plot density = Density(feature, kde);
        return PlotFiles.Save(PlotFiles.SideBySide(clusters, density), path, Width, Height);
    }

    private static Plot Clusters(double[][] points, GaussianMixture mixture, KMeans kMeans, IReadOnlyList<double[]> trueCenters)
    {
        int[] components = mixture.Predict(points);
        string[] names = Enumerable.Range(1, mixture.ComponentCount).Select(c => $"component {c}").ToArray();
        Plot plot = ClassScatterPlot.Create(points, components, names, "Gaussian mixture (EM): 1 and 2 std ellipses", "x", "y");
        var palette = new ScottPlot.Palettes.Category10();
        for (int c = 0; c < mixture.ComponentCount; c++)
        {
            var (radiusX, radiusY, angle) = Axes(mixture.Covariances[c]);
            foreach (double std in new[] { 1.0, 2.0 })
            {
                var ellipse = plot.Add.Ellipse(mixture.Means[c][0], mixture.Means[c][1], std * radiusX, std * radiusY, Angle.FromRadians(angle));
                ellipse.LineColor = palette.GetColor(c);
                ellipse.LineWidth = 2;
            }
        }

        var centres = plot.Add.Markers(kMeans.Centers.Select(c => c[0]).ToArray(), kMeans.Centers.Select(c => c[1]).ToArray(), MarkerShape.Cross, 14, Colors.Black);
        centres.LegendText = "k-means centre";
        var truth = plot.Add.Markers(trueCenters.Select(c => c[0]).ToArray(), trueCenters.Select(c => c[1]).ToArray(), MarkerShape.OpenDiamond, 14, Colors.Black);
        truth.LegendText = "true centre";
        plot.Axes.SquareUnits();
        return plot;
    }

    /// <summary>The half-axes and rotation of a 2-D covariance's 1-std ellipse, from its eigen decomposition.</summary>
    public static (double RadiusX, double RadiusY, double Angle) Axes(IReadOnlyList<IReadOnlyList<double>> covariance)
    {
        double a = covariance[0][0], b = covariance[0][1], d = covariance[1][1];
        double mean = (a + d) / 2, spread = Math.Sqrt(((a - d) / 2 * ((a - d) / 2)) + (b * b));
        double major = mean + spread, minor = Math.Max(mean - spread, 0);
        return (Math.Sqrt(major), Math.Sqrt(minor), 0.5 * Math.Atan2(2 * b, a - d));
    }

    private static Plot Density(double[] feature, KernelDensity kde)
    {
        Plot plot = PlotFiles.NewPlot(
            string.Create(CultureInfo.InvariantCulture, $"feature x: kernel density (Silverman bandwidth {kde.Bandwidth:F3})"), "x", "density");
        const int bins = 24;
        double low = feature.Min(), high = feature.Max(), width = (high - low) / bins;
        var counts = new int[bins];
        foreach (double v in feature)
        {
            counts[Math.Min((int)((v - low) / width), bins - 1)]++;
        }

        var bars = plot.Add.Bars(
            Enumerable.Range(0, bins).Select(b => low + ((b + 0.5) * width)).ToArray(),
            counts.Select(c => c / (feature.Length * width)).ToArray());
        foreach (var bar in bars.Bars)
        {
            bar.Size = width * 0.95;
            bar.FillColor = Colors.SteelBlue.WithAlpha(0.45);
            bar.LineWidth = 0;
        }

        bars.LegendText = "histogram";
        double[] xs = Enumerable.Range(0, 300).Select(i => low - (3 * kde.Bandwidth) + (i * (high - low + (6 * kde.Bandwidth)) / 299)).ToArray();
        var curve = plot.Add.ScatterLine(xs, kde.Density(xs), Colors.OrangeRed);
        curve.LineWidth = 2.5f;
        curve.LegendText = "kernel density";
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
