using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelC.Samples.Vae;

/// <summary>An SVG of two scatter plots side by side, one colour per class: the VAE's latent means and PCA's 2-D projection.</summary>
public static class LatentPicture
{
    private const int Panel = 360, Margin = 20;
    private static readonly string[] Colours =
        { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    public static string Render(double[][] latent, double[][] pca, int[] labels, string latentTitle, string pcaTitle)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{2 * Panel + 3 * Margin}\" height=\"{Panel + 2 * Margin + 20}\" font-family=\"sans-serif\" font-size=\"13\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        Scatter(svg, latent, labels, Margin, latentTitle);
        Scatter(svg, pca, labels, 2 * Margin + Panel, pcaTitle);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Scatter(StringBuilder svg, double[][] points, int[] labels, int left, string title)
    {
        int top = Margin + 20;
        double minX = points.Min(p => p[0]), maxX = points.Max(p => p[0]), minY = points.Min(p => p[1]), maxY = points.Max(p => p[1]);
        double spanX = Math.Max(maxX - minX, 1e-9), spanY = Math.Max(maxY - minY, 1e-9);
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{Margin + 8}\">{title}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{Panel}\" height=\"{Panel}\" fill=\"none\" stroke=\"#999\"/>\n");
        for (int i = 0; i < points.Length; i++)
        {
            double x = left + 5 + (points[i][0] - minX) / spanX * (Panel - 10);
            double y = top + 5 + (maxY - points[i][1]) / spanY * (Panel - 10);
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"2\" fill=\"{Colours[labels[i] % Colours.Length]}\" fill-opacity=\"0.7\"/>\n");
        }
    }
}
