using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelC.Samples.Clustering;

/// <summary>A hand-written SVG scatter plot: points coloured by cluster, centres marked on top.</summary>
public static class SvgScatter
{
    private static readonly string[] Palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd" };

    private const int Size = 600, Margin = 40;

    public static string Render(double[][] points, IReadOnlyList<int> clusters, IReadOnlyList<IReadOnlyList<double>> kMeansCenters,
        IReadOnlyList<IReadOnlyList<double>> mixtureMeans, IReadOnlyList<double[]> trueCenters)
    {
        double minX = points.Min(p => p[0]), maxX = points.Max(p => p[0]);
        double minY = points.Min(p => p[1]), maxY = points.Max(p => p[1]);
        double scale = (Size - 2 * Margin) / Math.Max(maxX - minX, maxY - minY);
        double X(double x) => Margin + (x - minX) * scale;
        double Y(double y) => Size - Margin - (y - minY) * scale;     // SVG's y axis points down

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Size}\" height=\"{Size}\" viewBox=\"0 0 {Size} {Size}\">\n");
        svg.Append($"  <rect width=\"{Size}\" height=\"{Size}\" fill=\"white\"/>\n");
        svg.Append("  <text x=\"10\" y=\"20\" font-family=\"sans-serif\" font-size=\"14\">k-means clusters; × k-means centre, ○ mixture mean, ◆ true centre</text>\n");
        for (int i = 0; i < points.Length; i++)
        {
            string colour = Palette[clusters[i] % Palette.Length];
            svg.Append($"  <circle cx=\"{N(X(points[i][0]))}\" cy=\"{N(Y(points[i][1]))}\" r=\"3\" fill=\"{colour}\" fill-opacity=\"0.6\"/>\n");
        }
        foreach (var c in trueCenters)
        {
            double cx = X(c[0]), cy = Y(c[1]);
            svg.Append($"  <polygon points=\"{N(cx)},{N(cy - 7)} {N(cx + 7)},{N(cy)} {N(cx)},{N(cy + 7)} {N(cx - 7)},{N(cy)}\" fill=\"black\"/>\n");
        }
        foreach (var c in kMeansCenters)
        {
            double cx = X(c[0]), cy = Y(c[1]);
            svg.Append($"  <path d=\"M {N(cx - 9)} {N(cy - 9)} L {N(cx + 9)} {N(cy + 9)} M {N(cx - 9)} {N(cy + 9)} L {N(cx + 9)} {N(cy - 9)}\" stroke=\"black\" stroke-width=\"3\"/>\n");
        }
        foreach (var m in mixtureMeans)
            svg.Append($"  <circle cx=\"{N(X(m[0]))}\" cy=\"{N(Y(m[1]))}\" r=\"12\" fill=\"none\" stroke=\"black\" stroke-width=\"2\"/>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string N(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
