using System;
using System.IO;
using System.Linq;
using ModelC.Runtime.Weights;
using Xunit;

namespace ModelC.Tests.Runtime.Weights;

/// <summary>The safetensors writer and reader: round trips, layout, and the PyTorch-written fixture's header.</summary>
public class SafetensorsFileTests
{
    [Fact]
    public void Round_trip_keeps_names_shapes_values_order_and_metadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        var writer = new SafetensorsWriter()
            .Add("b.second", [2, 3], [1, 2, 3, 4, 5, float.NegativeInfinity])
            .Add("a.first", [4], [0.5f, -0f, float.Epsilon, 1e30f])
            .Add("empty", [0, 3], []);
        writer.Metadata["note"] = "ünïcode \"quoted\"";
        writer.Save(path);

        SafetensorsFile file = SafetensorsFile.Read(path);
        Assert.Equal(["b.second", "a.first", "empty"], file.Tensors.Select(t => t.Name));
        Assert.Equal([2L, 3L], file.Tensors[0].Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, float.NegativeInfinity }, file.ReadFloats("b.second"));
        Assert.Equal(
            new[] { 0.5f, -0f, float.Epsilon, 1e30f }.Select(BitConverter.SingleToInt32Bits),
            file.ReadFloats("a.first").Select(BitConverter.SingleToInt32Bits));
        Assert.Empty(file.ReadFloats("empty"));
        Assert.Equal("ünïcode \"quoted\"", file.Metadata["note"]);
    }

    [Fact]
    public void The_header_is_padded_to_eight_bytes_and_the_data_is_contiguous_little_endian()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        new SafetensorsWriter().Add("w", [1], [1f]).Add("v", [2], [2f, -2f]).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 12, bytes.Length);
        Assert.Equal(1f, BitConverter.ToSingle(bytes, (int)(8 + headerLength)));
        Assert.Equal(-2f, BitConverter.ToSingle(bytes, (int)(8 + headerLength + 8)));
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.Contains("\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", header);
        Assert.Contains("\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}", header);
    }

    [Fact]
    public void Reads_the_file_pytorch_wrote()
    {
        SafetensorsFile file = SafetensorsFile.Read(RuntimeFixtures.PathOf("WeightsMlp.safetensors"));
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "out.weight"], file.Tensors.Select(t => t.Name));
        Assert.Equal([8L, 6L], file.Tensors[0].Shape);
        Assert.All(file.Tensors, t => Assert.Equal("F32", t.Dtype));
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Tensors_may_be_listed_out_of_data_order()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        RawSafetensors.Write(path, """{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", 8);
        SafetensorsFile file = SafetensorsFile.Read(path);
        Assert.Equal(["a", "b"], file.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Writer_refuses_duplicates_reserved_names_and_wrong_sizes()
    {
        var writer = new SafetensorsWriter().Add("w", [2], [1, 2]);
        Assert.Contains("already", Assert.Throws<ArgumentException>(() => writer.Add("w", [2], [1, 2])).Message);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", [1], [1])).Message);
        Assert.Contains("3 values", Assert.Throws<ArgumentException>(() => writer.Add("x", [2], [1, 2, 3])).Message);
    }

    [Fact]
    public void Reading_a_float_tensor_of_another_dtype_names_it()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        RawSafetensors.Write(path, """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""", 4);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path).ReadFloats("h"));
        Assert.Contains(path, e.Message);
        Assert.Contains("F16, expected F32", e.Message);
    }
}
