using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace ModelC.Runtime.Data;

/// <summary>
/// Reads IDX files (the MNIST format): bytes 0 and 1 zero, byte 2 the element type, byte 3 the
/// number of dimensions, then each dimension as a big-endian int32, then the values. Plain or
/// gzip-compressed, told apart by the gzip magic 0x1f 0x8b rather than the file name.
/// Malformed input raises <see cref="InvalidDataException"/> naming the file and the byte offset
/// (in the decompressed data for gzip). The header's sizes are checked against the data actually
/// present before anything that large is allocated.
/// </summary>
public static class IdxFile
{
    /// <summary>The most dimensions accepted; MNIST-style files use one (labels) or three (images).</summary>
    public const int MaxDimensions = 8;

    private const int HeaderMagicLength = 4;

    // Gzip hides the data's real size, so its buffer starts at what the compressed size makes
    // plausible (MNIST's images compress about 5:1, Fashion-MNIST's 2:1) and doubles as data
    // arrives: a small file that claims a huge tensor fails after reading what it has, not
    // after allocating what it claims.
    private const int PlausibleGzipRatio = 8;
    private const int SmallestGzipBuffer = 1 << 20;

    /// <summary>Reads the whole file.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file; the message names it and the byte offset.</exception>
    public static IdxTensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> start = stackalloc byte[2];
        int peeked = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (peeked == 2 && start[0] == 0x1f && start[1] == 0x8b)
        {
            using var unzipped = new GZipStream(file, CompressionMode.Decompress);
            long plausible = Math.Max(SmallestGzipBuffer, Math.Min(file.Length * PlausibleGzipRatio, Array.MaxLength));
            return new Reader(path, unzipped, fileLength: null, plausible).Read();
        }

        return new Reader(path, file, file.Length, file.Length).Read();
    }

    /// <summary>
    /// Reads an image file of shape [count, rows, columns] as floats multiplied by
    /// <paramref name="scale"/> (the default maps bytes to [0, 1]), image after image, row-major.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a well-formed IDX file of three dimensions.</exception>
    public static IdxImages ReadImages(string path, float scale = 1f / 255f)
    {
        IdxTensor tensor = Read(path);
        if (tensor.Shape.Count != 3)
        {
            throw new InvalidDataException(
                $"{path}: byte 3: images need 3 dimensions (count, rows, columns); the file has {tensor.Shape.Count}: {tensor}.");
        }

        return new IdxImages(tensor.ToFloats(scale), tensor.Shape[0], tensor.Shape[1], tensor.Shape[2]);
    }

    /// <summary>Reads a label file: one dimension of integers.</summary>
    /// <exception cref="InvalidDataException">Not a well-formed IDX file of one integer dimension.</exception>
    public static int[] ReadLabels(string path)
    {
        IdxTensor tensor = Read(path);
        if (tensor.Shape.Count != 1)
        {
            throw new InvalidDataException($"{path}: byte 3: labels need 1 dimension; the file has {tensor.Shape.Count}: {tensor}.");
        }

        if (tensor.ElementType is IdxElementType.Float or IdxElementType.Double)
        {
            throw new InvalidDataException($"{path}: byte 2: labels need an integer type; the file holds {tensor.ElementType}.");
        }

        return tensor.ToInts();
    }

    private sealed class Reader(string path, Stream stream, long? fileLength, long plausibleDataLength)
    {
        private long position;

        public IdxTensor Read()
        {
            Span<byte> magic = stackalloc byte[HeaderMagicLength];
            ReadHeaderBytes(magic, "the 4-byte magic number");
            if (magic[0] != 0 || magic[1] != 0)
            {
                throw Fail(0, $"not an IDX file: it starts 0x{magic[0]:x2} 0x{magic[1]:x2}, where IDX starts 0x00 0x00.");
            }

            var type = (IdxElementType)magic[2];
            if (!Enum.IsDefined(type))
            {
                throw Fail(2, $"unknown element type 0x{magic[2]:x2}; IDX has 0x08, 0x09, 0x0b, 0x0c, 0x0d and 0x0e.");
            }

            int rank = magic[3];
            if (rank is 0 or > MaxDimensions)
            {
                throw Fail(3, $"{rank} dimensions; between 1 and {MaxDimensions} are accepted.");
            }

            int[] shape = ReadShape(rank, type);
            long dataLength = (long)shape.Aggregate(1L, (product, d) => product * d) * IdxTensor.ElementSize(type);
            byte[] data = fileLength is long length ? ReadPlain(length, dataLength, shape, type) : ReadGrowing(dataLength, shape, type);
            return new IdxTensor(type, shape, data);
        }

        private int[] ReadShape(int rank, IdxElementType type)
        {
            Span<byte> dimensions = stackalloc byte[4 * rank];
            ReadHeaderBytes(dimensions, $"{rank} dimensions of 4 bytes");
            int elementSize = IdxTensor.ElementSize(type);
            long limit = Array.MaxLength / elementSize;
            long elements = 1;
            var shape = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                uint dimension = BinaryPrimitives.ReadUInt32BigEndian(dimensions.Slice(4 * i));
                long offset = HeaderMagicLength + (4 * i);
                if (dimension > int.MaxValue)
                {
                    throw Fail(offset, $"dimension {i} is {dimension}, above the largest accepted, {int.MaxValue}.");
                }

                if (dimension == 0)
                {
                    // An empty tensor is no data set: refused here, where the byte is known, rather than later without the file's name.
                    throw Fail(offset, $"dimension {i} is 0; every dimension must be at least 1.");
                }

                shape[i] = (int)dimension;
                if (elements > limit / dimension)
                {
                    throw Fail(offset, $"the dimensions [{string.Join(", ", dimensions.ToArray().Chunk(4).Select(d => BinaryPrimitives.ReadUInt32BigEndian(d)))}] " +
                        $"describe more values of {elementSize} bytes than one array can hold.");
                }

                elements *= dimension;
            }

            return shape;
        }

        private byte[] ReadPlain(long fileLength, long dataLength, int[] shape, IdxElementType type)
        {
            long present = fileLength - position;
            if (present < dataLength)
            {
                throw Fail(fileLength, $"truncated: {Describe(shape, type)} needs {dataLength} bytes of data from byte {position}, but the file ends after {present}.");
            }

            if (present > dataLength)
            {
                throw Fail(position + dataLength, $"{present - dataLength} bytes of trailing data after the {dataLength} bytes that {Describe(shape, type)} needs.");
            }

            var data = new byte[dataLength];
            stream.ReadExactly(data);
            return data;
        }

        private byte[] ReadGrowing(long dataLength, int[] shape, IdxElementType type)
        {
            long dataStart = position;
            var data = new byte[Math.Min(dataLength, plausibleDataLength)];
            int filled = 0;
            while (filled < dataLength)
            {
                if (filled == data.Length)
                {
                    Array.Resize(ref data, (int)Math.Min(dataLength, 2L * data.Length));
                }

                int read = ReadSome(data.AsSpan(filled));
                if (read == 0)
                {
                    throw Fail(dataStart + filled, $"truncated: {Describe(shape, type)} needs {dataLength} bytes of data from byte {dataStart}, but the data ends after {filled}.");
                }

                filled += read;
            }

            Span<byte> extra = stackalloc byte[1];
            if (ReadSome(extra) != 0)
            {
                throw Fail(dataStart + dataLength, $"trailing data after the {dataLength} bytes that {Describe(shape, type)} needs.");
            }

            return data;
        }

        private void ReadHeaderBytes(Span<byte> destination, string what)
        {
            long start = position;
            int read = 0;
            while (read < destination.Length)
            {
                int count = ReadSome(destination.Slice(read));
                if (count == 0)
                {
                    throw Fail(start + read, $"truncated header: the data ends inside {what}.");
                }

                read += count;
            }
        }

        // A read that reports corrupt compressed data with the file name and offset.
        private int ReadSome(Span<byte> destination)
        {
            int read;
            try
            {
                read = stream.Read(destination);
            }
            catch (InvalidDataException error)
            {
                throw Fail(position, $"corrupt gzip data: {error.Message}");
            }

            position += read;
            return read;
        }

        private static string Describe(int[] shape, IdxElementType type) => $"{type}[{string.Join(", ", shape)}]";

        private InvalidDataException Fail(long offset, string problem) =>
            new($"{path}: byte {offset}{(fileLength is null ? " of the decompressed data" : string.Empty)}: {problem}");
    }
}
