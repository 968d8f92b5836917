using System;
using System.IO;

namespace ModelC.Runtime.Weights;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file
/// <c>.NAME.GUID.tmp</c> in the same directory, is flushed to disk, and is then renamed over
/// the target. A crash at any point leaves either the old file or the new one, never a mix; an
/// exception also deletes the temporary file. A process killed mid-write cannot delete its
/// temporary file, so every write first deletes the temporary files of the same target that no
/// writer holds open: leftovers never pile up beyond one per target.
/// </summary>
public static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";

    /// <summary>Writes <paramref name="path"/> with what <paramref name="writeContent"/> writes to the stream it is given.</summary>
    public static void Write(string path, Action<Stream> writeContent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(writeContent);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' names no file inside a directory.", nameof(path));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{fullPath}: cannot save, the directory {directory} does not exist.");
        }

        string fileName = Path.GetFileName(fullPath);
        DeleteStaleTemporaries(directory, fileName);

        // Same directory, so the rename never crosses file systems and stays atomic.
        string temporary = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Deletes <c>.NAME.GUID.tmp</c> files of this target (a 32-hex-digit GUID, as <see cref="Write"/>
    /// names them) that can be opened exclusively: a writer still at work holds its file open
    /// without sharing, so only the leftovers of killed writers go.
    /// </summary>
    private static void DeleteStaleTemporaries(string directory, string fileName)
    {
        string prefix = "." + fileName + ".";
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, prefix + "*" + TemporarySuffix);
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        foreach (string candidate in candidates)
        {
            string name = Path.GetFileName(candidate);
            if (!IsTemporaryName(name, prefix))
            {
                continue;
            }

            try
            {
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }

                File.Delete(candidate);
            }
            catch (IOException)
            {
                // Held by a writer at work, or gone already.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsTemporaryName(string name, string prefix)
    {
        int guidLength = name.Length - prefix.Length - TemporarySuffix.Length;
        if (guidLength != 32 || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in name.AsSpan(prefix.Length, guidLength))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
