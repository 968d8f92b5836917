using System;
using ModelC.Runtime;
using ModelC.Runtime.Data;

namespace ModelC.Samples.HyperSearch;

/// <summary>
/// scikit-learn's two moons: two interleaving half circles, class 0 on (cos t, sin t) and class 1
/// on (1 - cos t, 1/2 - sin t) for t in [0, π], plus Gaussian noise. No straight line separates
/// them, so too narrow a network or a badly chosen learning rate shows in the score.
/// </summary>
internal static class MoonsData
{
    public static Dataset Generate(int count, double noise, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var random = new ModelRandom(seed);
        var x = new float[2 * count];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            double t = Math.PI * random.NextDouble();
            double x1 = label == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
            double x2 = label == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            x[2 * i] = (float)(x1 + (noise * random.NextNormal()));
            x[(2 * i) + 1] = (float)(x2 + (noise * random.NextNormal()));
            y[i] = label;
        }

        return new Dataset(DatasetColumn.OfFloats("x", x, 2), DatasetColumn.OfInts("y", y));
    }
}
