using System;
using System.Globalization;
using System.IO;
using ModelC.Tests.Cli;

namespace ModelC.Tests.Packaging
{
    /// <summary>
    /// The repository packed once into a temp folder with a version no earlier run used, so the
    /// NuGet global packages folder cannot serve stale bits. The packs reuse the test build's
    /// output (--no-build), which is what makes two package tests affordable in the suite.
    /// </summary>
    public sealed class PackedFeed : IDisposable
    {
        private readonly TempDirectory _folder = new TempDirectory();
        private readonly Lazy<string> _packOutput;

        public PackedFeed()
        {
            Version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)
                + "." + Guid.NewGuid().ToString("N").Substring(0, 8);
            _packOutput = new Lazy<string>(Pack);
        }

        public string Version { get; }

        /// <summary>The folder holding the .nupkg and .snupkg files; packs on first use.</summary>
        public string Path
        {
            get
            {
                _ = _packOutput.Value;
                return _folder.Path;
            }
        }

        public string PackOutput => _packOutput.Value;

        private string Pack()
        {
            string root = DotnetCli.RepositoryRoot();
            // The root command users run, `dotnet pack -c Release -o DIR`, in the tests' configuration.
            var (exitCode, output) = DotnetCli.Run(root, "pack", System.IO.Path.Combine(root, "ModelC.sln"), "--no-build",
                "-c", DotnetCli.TestConfiguration(), "-o", _folder.Path, $"-p:Version={Version}", "-nodeReuse:false");
            if (exitCode != 0) throw new InvalidOperationException("dotnet pack failed:\n" + output);
            return output;
        }

        public void Dispose()
        {
            _folder.Dispose();
            // The unique versions would pile up in the global packages folder, one set per run.
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (string id in new[] { "modelc", "modelc.runtime", "modelc.cli", "modelc.onnx", "modelc.distributed" })
            {
                string folder = System.IO.Path.Combine(packages, id, Version);
                try
                {
                    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
