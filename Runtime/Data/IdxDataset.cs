using System;
using System.IO;
using System.Linq;

namespace ModelC.Runtime.Data;

/// <summary>A labelled image <see cref="Dataset"/> from a pair of IDX files, as MNIST and Fashion-MNIST ship them.</summary>
public static class IdxDataset
{
    /// <summary>
    /// Reads images and labels into a dataset of two columns: the images as floats scaled by
    /// <paramref name="scale"/>, named <paramref name="inputName"/>, and the labels as class ids,
    /// named <paramref name="targetName"/>.
    /// </summary>
    /// <param name="imageShape">The per-example shape of the image column, for example [1, 28, 28] for a convolution; null gives a flat [rows × columns].</param>
    /// <exception cref="InvalidDataException">A file is malformed, or the files hold different numbers of examples.</exception>
    /// <exception cref="ArgumentException"><paramref name="imageShape"/> does not hold rows × columns values.</exception>
    public static Dataset Load(
        string imagesPath,
        string labelsPath,
        string inputName = "x",
        string targetName = "y",
        int[]? imageShape = null,
        float scale = 1f / 255f)
    {
        IdxImages images = IdxFile.ReadImages(imagesPath, scale);
        int[] shape = imageShape ?? [images.PixelsPerImage];
        if (shape.Aggregate(1L, (product, d) => product * d) != images.PixelsPerImage)
        {
            throw new ArgumentException(
                $"Image shape [{string.Join(", ", shape)}] does not hold the {images.Rows} × {images.Columns} pixels of the images in {imagesPath}.",
                nameof(imageShape));
        }

        int[] labels = IdxFile.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
        {
            throw new InvalidDataException($"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Length} labels.");
        }

        return new Dataset(
            DatasetColumn.OfFloats(inputName, images.Pixels, shape),
            DatasetColumn.OfInts(targetName, labels));
    }
}
