using ModelC.Runtime;
using ModelC.Runtime.Data;

namespace ModelC.Distributed.TestHost;

/// <summary>Three Gaussian blobs in 8 dimensions, the same for a seed on every rank.</summary>
public static class BlobsData
{
    public static Dataset Generate(int count, int seed)
    {
        var random = new ModelRandom(seed);
        var x = new float[count * 8];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < 8; j++)
            {
                x[(i * 8) + j] = (j % 3 == y[i] ? 1.5f : 0f) + random.NextNormal();
            }
        }

        return new Dataset(DatasetColumn.OfFloats("x", x, 8), DatasetColumn.OfInts("y", y));
    }
}
