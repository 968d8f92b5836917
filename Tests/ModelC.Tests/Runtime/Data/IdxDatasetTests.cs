using System;
using System.IO;
using System.Linq;
using ModelC.Runtime.Data;
using Xunit;

namespace ModelC.Tests.Runtime.Data;

public sealed class IdxDatasetTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    private string Images(uint count) =>
        files.WriteGzip($"images{count}.gz", IdxBytes.UnsignedBytes([count, 2, 2], Enumerable.Range(0, (int)count * 4).Select(i => (byte)i).ToArray()));

    private string Labels(uint count) =>
        files.Write($"labels{count}.idx", IdxBytes.UnsignedBytes([count], Enumerable.Range(0, (int)count).Select(i => (byte)(i % 10)).ToArray()));

    [Fact]
    public void Loads_images_and_labels_into_named_columns()
    {
        Dataset data = IdxDataset.Load(Images(3), Labels(3), inputName: "pixels", targetName: "label");

        Assert.Equal(3, data.Count);
        Assert.Equal(new[] { 4 }, data["pixels"].Shape);
        // Scaling multiplies by 1/255 (as TensorPrimitives does), which can differ from dividing by 255 in the last bit.
        Assert.Equal(new[] { 4f, 5f, 6f, 7f }.Select(v => v * (1f / 255f)), data["pixels"].FloatsOf(1).ToArray());
        Assert.Equal(new[] { 0, 1, 2 }, data["label"].Ints.ToArray());
    }

    [Fact]
    public void Images_can_keep_a_channel_and_two_spatial_dimensions()
    {
        Dataset data = IdxDataset.Load(Images(3), Labels(3), imageShape: [1, 2, 2], scale: 1f);
        Assert.Equal(new[] { 1, 2, 2 }, data["x"].Shape);
        Assert.Equal(new[] { 8f, 9f, 10f, 11f }, data["x"].FloatsOf(2).ToArray());
    }

    [Fact]
    public void A_shape_of_the_wrong_size_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => IdxDataset.Load(Images(3), Labels(3), imageShape: [1, 3, 3]));
        Assert.Contains("[1, 3, 3]", error.Message);
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        string images = Images(3);
        string labels = Labels(4);
        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(images, labels));
        Assert.Contains($"{images} holds 3 images but {labels} holds 4 labels", error.Message);
    }
}
