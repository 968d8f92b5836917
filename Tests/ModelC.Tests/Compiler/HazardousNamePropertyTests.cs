using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Compiler;
using ModelC.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// The promise "a model ModelC accepts always builds", checked on thousands of models whose
    /// names were chosen to break the generated C#. All of them go into one Roslyn compilation
    /// (each in its own namespace), which must have no error and no warning, and every model of the
    /// assembly then runs Forward, Backward and TrainStep on a batch of two; TrainStep's update must
    /// be plain SGD on the gradients ForwardBackward reports.
    /// </summary>
    public class HazardousNamePropertyTests
    {
        private const int Seed = 20261202;
        private const int WantedModels = 2000;

        private readonly ITestOutputHelper _output;

        public HazardousNamePropertyTests(ITestOutputHelper output) { _output = output; }

        [Fact]
        public void EveryAcceptedModelWithHazardousNamesBuildsRunsAndTrains()
        {
            var clock = Stopwatch.StartNew();
            // Written and compiled by ModelC in parallel, a chunk at a time, kept in seed order until there are enough.
            var written = new List<string>();
            var files = new List<(string Text, string Source)>();
            while (files.Count < WantedModels && written.Count < 3 * WantedModels)
            {
                int first = written.Count;
                var chunk = new (string Text, CompileResult Result)[500];
                Parallel.For(0, chunk.Length, i =>
                {
                    var text = HazardousModelWriter.Write(Seed + first + i, "Fuzz" + (first + i));
                    chunk[i] = (text, ModelCompiler.Compile($"fuzz{first + i}.model", text));
                });
                foreach (var (text, result) in chunk)
                {
                    if (files.Count == WantedModels) break;
                    written.Add(text);
                    Assert.False(result.Diagnostics.Any(d => d.Code == "MC9999"), $"MC9999 for:\n{text}\n{string.Join("\n", result.Diagnostics)}");
                    if (!result.HasErrors) files.Add((text, string.Concat(result.Files.Select(f => f.Source))));
                }
            }
            Assert.True(files.Count >= WantedModels, $"only {files.Count} of {written.Count} written models were accepted; the writer no longer makes valid models");
            var generated = clock.Elapsed;

            var assembly = CompileTogether(files);
            var compiled = clock.Elapsed;

            var types = assembly.GetTypes().Where(t => typeof(IModel).IsAssignableFrom(t) && !t.IsAbstract).ToList();
            int models = files.Sum(f => CountModels(f.Text));
            Assert.Equal(models, types.Count);
            foreach (var type in types)
            {
                var model = (IModel)Activator.CreateInstance(type, 0)!;
                string text = written[int.Parse(type.Namespace!.Split('.')[0].Substring("Fuzz".Length))];
                try
                {
                    NameMappingTests.Run(model);
                    TrainStepIsPlainSgd(model);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    throw new Xunit.Sdk.XunitException($"{type.FullName} threw {e}\nfor:\n{text}");
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    throw new Xunit.Sdk.XunitException($"{type.FullName}: {e.Message}\nfor:\n{text}");
                }
            }
            _output.WriteLine($"{files.Count} of {written.Count} models accepted, {models} classes, {files.Sum(f => f.Source.Length) / 1e6:F1} MB of C#; " +
                $"ModelC {generated.TotalSeconds:F1} s, Roslyn {(compiled - generated).TotalSeconds:F1} s, runs {(clock.Elapsed - compiled).TotalSeconds:F1} s");
        }

        private static int CountModels(string text) => text.Split('\n').Count(line => line.StartsWith("model ", StringComparison.Ordinal));

        /// <summary>After ForwardBackward reports gradients g at parameters p, TrainStep on the same batch leaves p - lr g.</summary>
        private static void TrainStepIsPlainSgd(IModel model)
        {
            var batch = Batch(model);
            model.ForwardBackward(batch);
            var before = model.Parameters.ToArray();
            var gradients = model.Gradients.ToArray();
            model.TrainStep(batch);
            var after = model.Parameters.ToArray();
            for (int i = 0; i < before.Length; i++)
            {
                float expected = before[i] - HazardousModelWriter.LearningRate * gradients[i];
                Assert.True(Math.Abs(after[i] - expected) <= 1e-5f * (1 + Math.Abs(expected)),
                    $"parameter {i}: {before[i]} - {HazardousModelWriter.LearningRate} * {gradients[i]} should be {expected}, TrainStep left {after[i]}");
            }
        }

        private static ModelData Batch(IModel model)
        {
            var data = new ModelData();
            foreach (var input in model.Inputs) data.Set(input.Name, Enumerable.Range(0, 2 * input.Size).Select(i => (i % 7) / 7f - 0.4f).ToArray());
            foreach (var target in model.Targets)
            {
                if (target.Kind == TensorKind.Int) data.Set(target.Name, Enumerable.Range(0, 2 * target.Size).Select(i => i % target.Classes).ToArray());
                else data.Set(target.Name, Enumerable.Range(0, 2 * target.Size).Select(i => (i % 5) / 5f).ToArray());
            }
            return data;
        }

        private static Assembly CompileTogether(IReadOnlyList<(string Text, string Source)> files)
        {
            var options = new CSharpParseOptions(LanguageVersion.Latest);
            var trees = new SyntaxTree[files.Count];
            Parallel.For(0, files.Count, i => trees[i] = CSharpSyntaxTree.ParseText(files[i].Source, options, path: $"fuzz{i}.g.cs"));
            var compilation = CSharpCompilation.Create(
                "HazardousModels",
                trees,
                References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                    nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: true));
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (problems.Count > 0)
            {
                var first = problems[0];
                int file = Array.IndexOf(trees, first.Location.SourceTree);
                throw new Xunit.Sdk.XunitException($"{problems.Count} C# errors and warnings, the first: {first}\nfor the model:\n{(file >= 0 ? files[file].Text : "?")}");
            }
            stream.Position = 0;
            return new AssemblyLoadContext("HazardousModels", isCollectible: true).LoadFromStream(stream);
        }

        private static readonly Lazy<MetadataReference[]> References = new(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Append(typeof(IModel).Assembly.Location)
                .Distinct()
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToArray());
    }
}
