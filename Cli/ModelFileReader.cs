using System;
using System.IO;

namespace ModelC.Cli
{
    /// <summary>Reads a .model file named on the command line, turning I/O failures into a message that names the file.</summary>
    public static class ModelFileReader
    {
        /// <returns>The text, or null after writing why it could not be read to <paramref name="error"/>.</returns>
        public static string? TryRead(string path, TextWriter error)
        {
            if (!File.Exists(path))
            {
                error.WriteLine(Directory.Exists(path)
                    ? $"modelc: '{path}' is a directory, not a .model file"
                    : $"modelc: file not found: '{path}'");
                return null;
            }

            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                error.WriteLine($"modelc: cannot read '{path}': {exception.Message}");
                return null;
            }
        }
    }
}
