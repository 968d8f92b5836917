using System;
using System.IO;
using System.IO.Compression;

namespace ModelC.Tests.Runtime.Data;

/// <summary>A fresh temporary folder for a test's files, deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    public TempFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "modelc-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string Write(string name, byte[] contents)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, contents);
        return path;
    }

    public string WriteText(string name, string contents)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, contents);
        return path;
    }

    public string WriteGzip(string name, byte[] contents) => Write(name, Gzip(contents));

    public static byte[] Gzip(byte[] contents)
    {
        using var compressed = new MemoryStream();
        using (var zip = new GZipStream(compressed, CompressionLevel.SmallestSize))
        {
            zip.Write(contents);
        }

        return compressed.ToArray();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
