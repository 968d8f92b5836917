using System;
using System.IO;
using System.Linq;
using ModelC.Runtime.Weights;
using Xunit;

namespace ModelC.Tests.Runtime.Weights;

/// <summary>AtomicFile: the target is replaced whole or not at all, and no temporary file survives.</summary>
public class AtomicFileTests
{
    [Fact]
    public void Replaces_the_file_and_leaves_no_temporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        AtomicFile.Write(path, s => s.Write([9, 8]));
        Assert.Equal([9, 8], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_failure_half_way_keeps_the_old_file_and_removes_the_temporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("data.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[1000]);
            throw new IOException("injected failure: disk full");
        }));
        Assert.Equal("injected failure: disk full", e.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_missing_directory_is_named()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "absent", "data.bin");
        var e = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(path, s => s.WriteByte(1)));
        Assert.Contains(Path.Combine(dir.Path, "absent"), e.Message);
    }

    [Fact]
    public void A_target_that_cannot_be_replaced_keeps_it_and_removes_the_temporary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("occupied");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "inside"), [7]);
        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(path, s => s.WriteByte(1)));
        Assert.Equal([7], File.ReadAllBytes(Path.Combine(path, "inside")));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Temporaries_left_by_killed_writers_of_the_same_target_are_deleted_by_the_next_write()
    {
        using var dir = new TempDirectory();
        string path = dir.File("run.ckpt");
        string[] stale = Enumerable.Range(0, 3).Select(_ => dir.File($".run.ckpt.{Guid.NewGuid():N}.tmp")).ToArray();
        foreach (string file in stale)
        {
            File.WriteAllBytes(file, new byte[4096]);
        }

        string otherTarget = dir.File($".other.ckpt.{Guid.NewGuid():N}.tmp");
        string notOurs = dir.File(".run.ckpt.notes.tmp");
        string busy = dir.File($".run.ckpt.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(otherTarget, [1]);
        File.WriteAllBytes(notOurs, [2]);
        using (var writerAtWork = new FileStream(busy, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            AtomicFile.Write(path, s => s.Write([5, 6]));
        }

        Assert.Equal([5, 6], File.ReadAllBytes(path));
        Assert.All(stale, file => Assert.False(File.Exists(file), file));
        Assert.Equal(
            new[] { path, otherTarget, notOurs, busy }.Order(StringComparer.Ordinal),
            Directory.GetFiles(dir.Path).Order(StringComparer.Ordinal));
    }
}
