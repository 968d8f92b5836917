using System;
using System.IO;
using System.Linq;
using ModelC.Runtime.Data;
using Xunit;

namespace ModelC.Tests.Runtime.Data;

/// <summary>The Fashion-MNIST subset that samples/FashionMlp ships (made by scripts/make-fashion-subset.py).</summary>
public class FashionSubsetTests
{
    private static string DataFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelC.sln")))
            {
                return Path.Combine(directory.FullName, "samples", "FashionMlp", "data");
            }
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds ModelC.sln.");
    }

    // Pixel sums and first labels as the script's Python computed them from the same files.
    [Theory]
    [InlineData("train", 500, 287231516L, 76247L, new[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 })]
    [InlineData("t10k", 100, 56973981L, 33456L, new[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 })]
    public void The_shipped_subset_is_balanced_and_reads_back_exactly(
        string prefix, int perClass, long pixelSum, long firstImageSum, int[] firstLabels)
    {
        string folder = DataFolder();
        string images = Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz");
        string labels = Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz");

        IdxTensor raw = IdxFile.Read(images);
        Assert.Equal(new[] { 10 * perClass, 28, 28 }, raw.Shape);
        long sum = 0;
        foreach (byte pixel in raw.RawBytes)
        {
            sum += pixel;
        }

        Assert.Equal(pixelSum, sum);

        Dataset data = IdxDataset.Load(images, labels, imageShape: [1, 28, 28], scale: 1f);
        Assert.Equal(10 * perClass, data.Count);
        Assert.Equal(new[] { 1, 28, 28 }, data["x"].Shape);
        Assert.Equal(firstImageSum, (long)data["x"].FloatsOf(0).ToArray().Sum());
        int[] classIds = data["y"].Ints.ToArray();
        Assert.Equal(firstLabels, classIds.Take(10));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(perClass, classIds.Count(id => id == c)));
    }
}
