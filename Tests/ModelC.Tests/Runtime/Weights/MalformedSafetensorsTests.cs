using System;
using System.IO;
using System.Text;
using ModelC.Runtime.Weights;
using Xunit;

namespace ModelC.Tests.Runtime.Weights;

/// <summary>
/// A corpus of broken safetensors files: each is refused with an InvalidDataException whose
/// message names the file, the byte offset and the rule broken.
/// </summary>
public class MalformedSafetensorsTests
{
    private const string Valid = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""";

    private static InvalidDataException Refuse(Action<string> write, string problem, long byteOffset)
    {
        using var dir = new TempDirectory();
        string path = dir.File("broken.safetensors");
        write(path);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"at byte {byteOffset}:", e.Message);
        Assert.Contains(problem, e.Message);
        return e;
    }

    /// <summary>A file of <paramref name="header"/> and <paramref name="dataLength"/> data bytes, refused at data offset <paramref name="dataOffset"/>.</summary>
    private static InvalidDataException RefuseData(string header, int dataLength, string problem, long dataOffset) =>
        Refuse(p => RawSafetensors.Write(p, header, dataLength), problem, 8 + Encoding.UTF8.GetByteCount(header) + dataOffset);

    [Fact]
    public void The_valid_baseline_reads()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ok.safetensors");
        RawSafetensors.Write(path, Valid, 12);
        Assert.Equal(2, SafetensorsFile.Read(path).Tensors.Count);
    }

    [Fact]
    public void Shorter_than_the_length_prefix() =>
        Refuse(p => File.WriteAllBytes(p, [1, 2, 3]), "the file is 3 bytes, too short for the 8-byte header length", 0);

    [Fact]
    public void Truncated_in_the_data() =>
        RefuseData(Valid, 10, "tensor 'b' has data_offsets [8, 12] past the end of the 10-byte data section", 8);

    [Fact]
    public void Truncated_in_the_header() =>
        Refuse(p => RawSafetensors.Write(p, Valid[..40], 0, declaredLength: (ulong)Valid.Length), $"the header length {Valid.Length} runs past the end of the file (48 bytes)", 0);

    [Fact]
    public void Header_length_beyond_100_MB() =>
        Refuse(p => RawSafetensors.Write(p, Valid, 12, declaredLength: 1UL << 40), "the header length 1099511627776 exceeds the format's limit of 100000000 bytes", 0);

    [Fact]
    public void Header_length_at_u64_max() =>
        Refuse(p => RawSafetensors.Write(p, Valid, 12, declaredLength: ulong.MaxValue), "exceeds the format's limit", 0);

    [Fact]
    public void A_huge_declared_header_in_a_small_file_allocates_nothing_near_its_size()
    {
        using var dir = new TempDirectory();
        string path = dir.File("liar.safetensors");
        RawSafetensors.Write(path, Valid, 12, declaredLength: 99_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000_000, $"refusing a 99 MB header in a {new FileInfo(path).Length}-byte file allocated {allocated} bytes");
    }

    [Fact]
    public void Overlapping_offsets() =>
        RefuseData(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            12,
            "tensor 'b' begins at data offset 4, overlapping the tensor before it, which ends at 8",
            4);

    [Fact]
    public void Gap_between_offsets() =>
        RefuseData(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}""",
            16,
            "a gap in the data: bytes [8, 12) of the data section belong to no tensor (next is 'b')",
            8);

    [Fact]
    public void Data_not_starting_at_zero() =>
        RefuseData(
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            8,
            "a gap in the data: bytes [0, 4)",
            0);

    [Fact]
    public void Bytes_after_the_last_tensor() =>
        RefuseData(Valid, 16, "the data section is 16 bytes but the tensors cover only 12", 12);

    [Fact]
    public void Shape_and_offsets_disagree() =>
        RefuseData(
            """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""",
            8,
            "tensor a F32 [3] needs 12 bytes but its data_offsets [0, 8] hold 8",
            0);

    [Fact]
    public void Offsets_that_end_before_they_begin() =>
        RefuseData(
            """{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"c":{"dtype":"U8","shape":[0],"data_offsets":[4,2]}}""",
            4,
            "end before they begin",
            4);

    [Fact]
    public void Shape_whose_size_overflows() =>
        RefuseData(
            """{"a":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904],"data_offsets":[0,8]}}""",
            8,
            "the size of the shape overflows a 64-bit byte count",
            0);

    [Fact]
    public void Shape_whose_byte_count_alone_overflows() =>
        RefuseData(
            """{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}""",
            8,
            "overflows",
            0);

    [Fact]
    public void Duplicate_name() =>
        Refuse(
            p => RawSafetensors.Write(p, """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8),
            "the name 'a' appears twice",
            8);

    [Fact]
    public void Unknown_dtype() =>
        Refuse(
            p => RawSafetensors.Write(p, """{"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}""", 4),
            "tensor 'a' has unknown dtype 'F31'",
            8);

    [Fact]
    public void Not_json() =>
        Refuse(p => RawSafetensors.Write(p, "this is not json", 0), "the header is not valid UTF-8 JSON", 8);

    [Fact]
    public void Not_utf8() =>
        Refuse(p => RawSafetensors.Write(p, [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], 0), "the header is not valid UTF-8 JSON (an invalid UTF-8 byte sequence)", 10);

    [Fact]
    public void Not_an_object() =>
        Refuse(p => RawSafetensors.Write(p, "[1, 2]", 0), "the header is a JSON Array, not an object", 8);

    [Fact]
    public void Fractional_or_negative_numbers() =>
        Refuse(
            p => RawSafetensors.Write(p, """{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,-4]}}""", 4),
            "tensor 'a': shape[0] is 1.5, not a whole number",
            8);

    [Fact]
    public void Missing_data_offsets() =>
        Refuse(p => RawSafetensors.Write(p, """{"a":{"dtype":"F32","shape":[1]}}""", 4), "tensor 'a' has no 'data_offsets'", 8);

    [Fact]
    public void Three_data_offsets() =>
        Refuse(p => RawSafetensors.Write(p, """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}""", 4), "has 3 data_offsets, not 2", 8);

    [Fact]
    public void Metadata_values_must_be_strings() =>
        Refuse(p => RawSafetensors.Write(p, """{"__metadata__":{"epoch":3}}""", 0), "__metadata__ entry 'epoch' is a JSON Number, not a string", 8);
}
