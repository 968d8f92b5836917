using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using ModelC.Compiler;
using ModelC.Tests.Compiler;
using Xunit;
using Xunit.Abstractions;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// A seeded fuzz run kept in the suite: mutations of every .model file in the repository, and
    /// random models, through the whole compiler on a 1 MB thread. Every input must come back with
    /// sound diagnostics (or code) in its time budget: no exception, no MC9999, no stack overflow.
    /// scripts/fuzz-compiler.sh runs the same checks for as long as one likes.
    /// </summary>
    public class CompilerFuzzTests
    {
        private const int Seed = 1414;
        private const int MutationsPerFile = 80;
        private const int RandomModels = 1200;

        /// <summary>
        /// Generous: the compiler's own limits keep any small input far below this; the margin is for
        /// a loaded machine, since the time is wall-clock time.
        /// </summary>
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

        private readonly ITestOutputHelper _output;

        public CompilerFuzzTests(ITestOutputHelper output) { _output = output; }

        [Fact]
        public void MutatedAndRandomInputsGiveSoundDiagnosticsInTime()
        {
            var inputs = Inputs().ToList();
            Assert.True(inputs.Count >= 5000, $"only {inputs.Count} inputs");

            var report = SmallStack.Run(() =>
            {
                var slowest = (Time: TimeSpan.Zero, Text: "");
                int accepted = 0;
                var total = Stopwatch.StartNew();
                foreach (var text in inputs)
                {
                    var clock = Stopwatch.StartNew();
                    var result = CorpusAssert.CompilesWithSoundDiagnostics(text);
                    clock.Stop();
                    Assert.True(clock.Elapsed < Budget, $"{clock.Elapsed.TotalSeconds:F1} s (budget {Budget.TotalSeconds} s) for: {text}");
                    if (clock.Elapsed > slowest.Time) slowest = (clock.Elapsed, text);
                    if (!result.HasErrors) accepted++;
                }
                return $"{inputs.Count} inputs, {accepted} accepted, {total.Elapsed.TotalSeconds:F1} s in all, slowest {slowest.Time.TotalMilliseconds:F0} ms";
            });
            _output.WriteLine(report);
        }

        /// <summary>Every .model file of the repository, build outputs left out, in a fixed order.</summary>
        public static List<string> RepositoryModelFiles() =>
            Directory.EnumerateFiles(RepositoryRoot(), "*.model", SearchOption.AllDirectories)
                .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                .OrderBy(path => path, StringComparer.Ordinal)
                .ToList();

        /// <summary>Mutations of every .model file (seeded per file), then random models of two writers.</summary>
        public static IEnumerable<string> Inputs()
        {
            var files = RepositoryModelFiles();
            Assert.True(files.Count >= 20, $"only {files.Count} .model files found");
            for (int f = 0; f < files.Count; f++)
            {
                var source = File.ReadAllText(files[f]);
                var mutator = new ModelMutator(Seed + f);
                for (int i = 0; i < MutationsPerFile; i++) yield return mutator.Mutate(source);
            }
            for (int i = 0; i < RandomModels; i++)
            {
                yield return RandomModelWriter.Write(Seed + i);
                yield return HazardousModelWriter.Write(Seed + i, "Fuzz");
            }
        }

        private static string RepositoryRoot([CallerFilePath] string thisFile = "")
        {
            foreach (string start in new[] { Path.GetDirectoryName(thisFile) ?? "", AppContext.BaseDirectory })
            {
                for (var directory = start.Length == 0 ? null : new DirectoryInfo(start); directory != null; directory = directory.Parent)
                {
                    if (File.Exists(Path.Combine(directory.FullName, "ModelC.sln")))
                        return directory.FullName;
                }
            }
            throw new InvalidOperationException($"no ModelC.sln above {thisFile} or {AppContext.BaseDirectory}");
        }
    }
}
