using System;
using ModelC.Runtime;

namespace ModelC.Samples.Gan;

/// <summary>The data: an even mixture of 8 Gaussians (std 0.1) whose centres sit on a circle of radius 2.</summary>
public static class RingOfGaussians
{
    public const int Modes = 8;
    public const double Radius = 2.0, Std = 0.1;

    public static (double X, double Y) Centre(int mode) =>
        (Radius * Math.Cos(2 * Math.PI * mode / Modes), Radius * Math.Sin(2 * Math.PI * mode / Modes));

    /// <summary>Fills points (x0, y0, x1, y1, ...) with draws from the mixture.</summary>
    public static void Sample(ModelRandom random, Span<float> points)
    {
        for (int k = 0; k + 1 < points.Length; k += 2)
        {
            var (cx, cy) = Centre(random.NextInt(Modes));
            points[k] = (float)(cx + Std * random.NextNormal());
            points[k + 1] = (float)(cy + Std * random.NextNormal());
        }
    }

    /// <summary>The nearest centre to a point and the distance to it.</summary>
    public static (int Mode, double Distance) Nearest(double x, double y)
    {
        int best = 0;
        double bestDistance = double.MaxValue;
        for (int m = 0; m < Modes; m++)
        {
            var (cx, cy) = Centre(m);
            double d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
            if (d < bestDistance) { bestDistance = d; best = m; }
        }
        return (best, bestDistance);
    }
}
