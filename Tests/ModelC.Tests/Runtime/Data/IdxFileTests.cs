using System;
using System.IO;
using System.Linq;
using ModelC.Runtime.Data;
using Xunit;

namespace ModelC.Tests.Runtime.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    // Two 2×3 images whose pixels count up from 0 and from 250.
    private static byte[] TwoImages() =>
        IdxBytes.UnsignedBytes([2, 2, 3], 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255);

    [Fact]
    public void Reads_unsigned_byte_images_with_their_shape_and_values()
    {
        IdxTensor tensor = IdxFile.Read(files.Write("images.idx", TwoImages()));

        Assert.Equal(IdxElementType.UnsignedByte, tensor.ElementType);
        Assert.Equal(new[] { 2, 2, 3 }, tensor.Shape);
        Assert.Equal(12, tensor.Length);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255 }, tensor.ToInts());
        Assert.Equal(new[] { 0f, 2f, 4f }, tensor.ToFloats(2f).Take(3));
    }

    [Fact]
    public void Gzip_is_recognised_by_its_magic_not_by_the_file_name()
    {
        IdxTensor zipped = IdxFile.Read(files.WriteGzip("images.idx", TwoImages()));
        IdxTensor plain = IdxFile.Read(files.Write("images.gz", TwoImages()));

        Assert.Equal(plain.Shape, zipped.Shape);
        Assert.Equal(plain.RawBytes.ToArray(), zipped.RawBytes.ToArray());
    }

    [Fact]
    public void Read_images_scales_bytes_to_the_unit_interval()
    {
        IdxImages images = IdxFile.ReadImages(files.WriteGzip("images.gz", TwoImages()));

        Assert.Equal((2, 2, 3), (images.Count, images.Rows, images.Columns));
        Assert.Equal(6, images.PixelsPerImage);
        Assert.Equal(0f, images.Pixels[0]);
        Assert.Equal(1f / 255f, images.Pixels[1]);
        Assert.Equal(1f, images.Pixels[11]);
    }

    [Fact]
    public void Signed_bytes_keep_their_sign()
    {
        string path = files.Write("s.idx", IdxBytes.File(0x09, [3], [0x80, 0xff, 0x7f]));
        Assert.Equal(new[] { -128, -1, 127 }, IdxFile.ReadLabels(path));
        Assert.Equal(new[] { -128f, -1f, 127f }, IdxFile.Read(path).ToFloats());
    }

    [Fact]
    public void Shorts_are_big_endian()
    {
        short[] values = [-32768, -2, 258, 32767];
        IdxTensor tensor = IdxFile.Read(files.Write("h.idx", IdxBytes.File(0x0B, [2, 2], IdxBytes.BigEndian(values))));
        Assert.Equal(values.Select(v => (int)v), tensor.ToInts());
        Assert.Equal(values.Select(v => (float)v), tensor.ToFloats());
    }

    [Fact]
    public void Ints_are_big_endian()
    {
        int[] values = [int.MinValue, -70000, 16909060, int.MaxValue];
        IdxTensor tensor = IdxFile.Read(files.Write("i.idx", IdxBytes.File(0x0C, [4], IdxBytes.BigEndian(values))));
        Assert.Equal(values, tensor.ToInts());
        Assert.Equal(values, IdxFile.ReadLabels(files.WriteGzip("i.gz", IdxBytes.File(0x0C, [4], IdxBytes.BigEndian(values)))));
    }

    [Fact]
    public void Floats_are_big_endian_and_scaled()
    {
        float[] values = [-1.5f, 0f, 3.25f, float.Epsilon, 1e30f, -7f];
        IdxTensor tensor = IdxFile.Read(files.Write("f.idx", IdxBytes.File(0x0D, [1, 2, 3], IdxBytes.BigEndian(values))));
        Assert.Equal(values, tensor.ToFloats());
        Assert.Equal(values.Select(v => v * 0.5f), tensor.ToFloats(0.5f));
        Assert.Throws<InvalidOperationException>(() => tensor.ToInts());
    }

    [Fact]
    public void Doubles_are_big_endian_and_rounded_to_float()
    {
        double[] values = [0.1, -2.5, 1e-3, 123456789.0];
        IdxTensor tensor = IdxFile.Read(files.Write("d.idx", IdxBytes.File(0x0E, [4], IdxBytes.BigEndian(values))));
        Assert.Equal(values.Select(v => (float)v), tensor.ToFloats());
    }

    [Fact]
    public void A_file_that_is_not_idx_names_the_file_and_byte_0()
    {
        string path = files.Write("bad.idx", [0x50, 0x4b, 0x08, 0x01, 0, 0, 0, 1, 7]);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("byte 0:", error.Message);
        Assert.Contains("0x50 0x4b", error.Message);
    }

    [Fact]
    public void An_unknown_type_code_is_reported_at_byte_2()
    {
        string path = files.Write("t.idx", IdxBytes.File(0x0A, [1], [7]));
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains($"{path}: byte 2:", error.Message);
        Assert.Contains("0x0a", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(IdxFile.MaxDimensions + 1)]
    public void Zero_or_too_many_dimensions_are_reported_at_byte_3(int rank)
    {
        string path = files.Write("r.idx", IdxBytes.File(0x08, Enumerable.Repeat(1u, rank).ToArray(), [7]));
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains($"{path}: byte 3: {rank} dimensions", error.Message);
    }

    [Fact]
    public void A_dimension_product_beyond_an_array_is_reported_at_the_overflowing_dimension()
    {
        string path = files.Write("o.idx", IdxBytes.Header(0x08, 65536, 65536, 65536));
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains($"{path}: byte 8:", error.Message);
        Assert.Contains("more values", error.Message);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 8)]
    [InlineData(2, 12)]
    public void A_zero_dimension_is_reported_with_the_file_and_byte(int zeroAt, int offset)
    {
        uint[] shape = [3, 2, 2];
        shape[zeroAt] = 0;
        string path = files.Write("zero.idx", IdxBytes.UnsignedBytes(shape));
        var direct = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.StartsWith($"{path}: byte {offset}: dimension {zeroAt} is 0", direct.Message);

        string labels = files.Write("labels.idx", IdxBytes.UnsignedBytes([3], 0, 1, 2));
        var throughDataset = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(path, labels));
        Assert.Equal(direct.Message, throughDataset.Message);
    }

    [Fact]
    public void A_dimension_above_int_max_is_reported()
    {
        string path = files.Write("n.idx", IdxBytes.Header(0x08, 3, 0x80000000));
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains($"{path}: byte 8: dimension 1 is 2147483648", error.Message);
    }

    [Fact]
    public void A_header_cut_short_is_reported_where_it_ends()
    {
        byte[] header = IdxBytes.Header(0x08, 10, 28, 28);
        string path = files.Write("h.idx", header[..9]);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains($"{path}: byte 9: truncated header", error.Message);
    }

    [Fact]
    public void Missing_data_in_a_plain_file_is_reported_at_its_end()
    {
        string path = files.Write("short.idx", TwoImages()[..^2]);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains($"{path}: byte 26: truncated: UnsignedByte[2, 2, 3] needs 12 bytes of data from byte 16", error.Message);
    }

    [Fact]
    public void Missing_data_in_a_gzip_file_is_reported_at_the_decompressed_offset()
    {
        string path = files.WriteGzip("short.gz", TwoImages()[..^2]);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains($"{path}: byte 26 of the decompressed data: truncated", error.Message);
    }

    [Fact]
    public void Trailing_garbage_is_reported_where_it_starts()
    {
        byte[] padded = [.. TwoImages(), 9, 9, 9];
        var plain = Assert.Throws<InvalidDataException>(() => IdxFile.Read(files.Write("long.idx", padded)));
        Assert.Contains("long.idx: byte 28: 3 bytes of trailing data", plain.Message);
        var zipped = Assert.Throws<InvalidDataException>(() => IdxFile.Read(files.WriteGzip("long.gz", padded)));
        Assert.Contains("long.gz: byte 28 of the decompressed data: trailing data", zipped.Message);
    }

    [Fact]
    public void Corrupt_gzip_data_names_the_file()
    {
        byte[] zipped = TempFiles.Gzip(TwoImages());
        for (int i = 10; i < zipped.Length - 8; i++)
        {
            zipped[i] ^= 0x5a;
        }

        string path = files.Write("corrupt.gz", zipped);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("of the decompressed data", error.Message);
    }

    [Fact]
    public void A_tiny_gzip_claiming_a_million_images_fails_without_allocating_their_size()
    {
        // 784 MB claimed; the compressed file is about a hundred bytes.
        byte[] claim = IdxBytes.UnsignedBytes([1_000_000, 28, 28], new byte[64]);
        string path = files.WriteGzip("bomb.gz", claim);
        Assert.True(new FileInfo(path).Length < 120);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("truncated", error.Message);
        Assert.True(allocated < 4_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_gzip_that_inflates_far_beyond_its_size_is_read_whole()
    {
        // 3 MB of mostly zeros compresses to a few kB, so the buffer has to grow several times.
        byte[] values = new byte[3_000_000];
        values[0] = 1;
        values[1_234_567] = 2;
        values[^1] = 3;
        string path = files.WriteGzip("sparse.gz", IdxBytes.UnsignedBytes([3000, 1000], values));
        Assert.True(new FileInfo(path).Length < 20_000);

        IdxTensor tensor = IdxFile.Read(path);
        Assert.Equal(new[] { 3000, 1000 }, tensor.Shape);
        Assert.Equal(values, tensor.RawBytes.ToArray());
    }

    [Fact]
    public void A_plain_file_claiming_more_than_it_holds_fails_without_allocating_it()
    {
        string path = files.Write("claim.idx", IdxBytes.UnsignedBytes([1_000_000, 28, 28], new byte[64]));

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Read_images_rejects_a_label_file()
    {
        string path = files.Write("labels.idx", IdxBytes.UnsignedBytes([3], 1, 2, 3));
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains($"{path}: byte 3: images need 3 dimensions", error.Message);
    }

    [Fact]
    public void Read_labels_rejects_images_and_floats()
    {
        var images = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(files.Write("images.idx", TwoImages())));
        Assert.Contains("labels need 1 dimension", images.Message);
        string floats = files.Write("f.idx", IdxBytes.File(0x0D, [1], IdxBytes.BigEndian([1f])));
        Assert.Contains("labels need an integer type", Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(floats)).Message);
    }
}
