using System;
using System.IO;
using ModelC.Runtime;
using ModelC.Tests.Compiler;

namespace ModelC.Tests.Samples
{
    /// <summary>
    /// The samples' own .model files, compiled at runtime: this project does not run the source
    /// generator, so the tests build the same models from the same text through ModelHarness.
    /// </summary>
    internal static class SampleModels
    {
        private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

        /// <summary>A fresh model compiled from samples/<paramref name="relativePath"/>.</summary>
        public static IModel Create(string relativePath, int seed, string? modelName = null) =>
            ModelHarness.Create(Text(relativePath), seed, modelName);

        /// <summary>A path inside the repository, e.g. <c>RepositoryPath("samples")</c>.</summary>
        public static string RepositoryPath(string relativePath) => Path.Combine(RepositoryRoot.Value, relativePath);

        public static string Text(string relativePath)
        {
            string path = Path.Combine(RepositoryRoot.Value, "samples", relativePath);
            if (!File.Exists(path))
                throw new FileNotFoundException($"The sample model '{relativePath}' is not at {path}.", path);
            return File.ReadAllText(path);
        }

        private static string FindRepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ModelC.sln")))
                    return directory.FullName;
            }

            throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds ModelC.sln.");
        }
    }
}
