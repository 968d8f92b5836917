using System;
using System.IO;
using ModelC.Runtime.Data;

namespace ModelC.Samples.FashionMlp;

/// <summary>Where the Fashion-MNIST files come from, and loading them as train and test datasets.</summary>
public static class FashionData
{
    /// <summary>Debian's dataset-fashion-mnist package puts the full set here.</summary>
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] ClassNames =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    private static readonly string[] FileNames =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    /// <summary>The subset shipped with the sample, copied next to the executable.</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Whether <paramref name="directory"/> holds all four IDX files.</summary>
    public static bool IsComplete(string directory) =>
        Array.TrueForAll(FileNames, name => File.Exists(Path.Combine(directory, name)));

    /// <summary>The training and test sets of <paramref name="directory"/>, as columns x : float[784] and y : int&lt;10&gt;.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names it.</exception>
    public static (Dataset Train, Dataset Test) Load(string directory)
    {
        foreach (string name in FileNames)
        {
            string path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Fashion-MNIST file {path} is missing; a data folder needs {string.Join(", ", FileNames)}.", path);
            }
        }

        Dataset train = IdxDataset.Load(Path.Combine(directory, FileNames[0]), Path.Combine(directory, FileNames[1]));
        Dataset test = IdxDataset.Load(Path.Combine(directory, FileNames[2]), Path.Combine(directory, FileNames[3]));
        return (train, test);
    }
}
