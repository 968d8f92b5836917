using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelC.Samples.Gan;

/// <summary>An SVG with one panel per snapshot: the mixture's centres (circles of 3 std) and the generated points.</summary>
public static class GanPicture
{
    private const int Panel = 220, Margin = 10;
    private const double Extent = 3.0;

    public static string Render(GanRun run)
    {
        var snapshots = run.Snapshots;
        var svg = new StringBuilder();
        int width = snapshots.Count * (Panel + Margin) + Margin, height = Panel + 2 * Margin + 20;
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int p = 0; p < snapshots.Count; p++)
        {
            var s = snapshots[p];
            int left = Margin + p * (Panel + Margin), top = Margin + 20;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{Margin + 12}\">step {s.Step}: {s.ModesCovered}/8 modes, {100 * s.NearFraction:F0}% near</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{Panel}\" height=\"{Panel}\" fill=\"none\" stroke=\"#999\"/>\n");
            for (int m = 0; m < RingOfGaussians.Modes; m++)
            {
                var (cx, cy) = RingOfGaussians.Centre(m);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{X(cx, left):F1}\" cy=\"{Y(cy, top):F1}\" r=\"{3 * RingOfGaussians.Std * Panel / (2 * Extent):F1}\" fill=\"none\" stroke=\"#d62728\"/>\n");
            }
            for (int k = 0; k < s.Points.Length / 2; k += 2)
            {
                double x = s.Points[2 * k], y = s.Points[2 * k + 1];
                if (System.Math.Abs(x) > Extent || System.Math.Abs(y) > Extent) continue;
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(x, left):F1}\" cy=\"{Y(y, top):F1}\" r=\"1.2\" fill=\"#1f77b4\" fill-opacity=\"0.5\"/>\n");
            }
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static double X(double x, int left) => left + (x + Extent) / (2 * Extent) * Panel;
    private static double Y(double y, int top) => top + (Extent - y) / (2 * Extent) * Panel;
}
