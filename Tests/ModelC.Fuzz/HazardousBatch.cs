using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Compiler;
using ModelC.Runtime;
using ModelC.Tests.Compiler;

namespace ModelC.Fuzz
{
    /// <summary>
    /// Many models with hazardous names in one Roslyn compilation, as the suite's property test
    /// does, timed phase by phase: to see how far the promise holds, and what it costs, at a scale
    /// the suite cannot afford.
    /// </summary>
    internal static class HazardousBatch
    {
        public static int Run(int wanted, int seed)
        {
            var clock = Stopwatch.StartNew();
            var texts = new string[(int)(wanted * 1.3) + 10];
            var results = new CompileResult[texts.Length];
            Parallel.For(0, texts.Length, i =>
            {
                texts[i] = HazardousModelWriter.Write(seed + i, "Fuzz" + i);
                results[i] = ModelCompiler.Compile($"fuzz{i}.model", texts[i]);
            });
            var accepted = Enumerable.Range(0, texts.Length).Where(i => !results[i].HasErrors).Take(wanted).ToList();
            var internalErrors = results.Count(r => r.Diagnostics.Any(d => d.Code == "MC9999"));
            Console.WriteLine($"ModelC: {accepted.Count} of {texts.Length} accepted, {internalErrors} MC9999, {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var i in Enumerable.Range(0, texts.Length).Where(i => results[i].HasErrors).Take(5))
                Console.WriteLine("rejected: " + results[i].Diagnostics.First(d => d.IsError) + "\n" + texts[i]);

            var sources = accepted.Select(i => string.Concat(results[i].Files.Select(f => f.Source))).ToList();
            Console.WriteLine($"{sources.Sum(s => s.Length) / 1e6:F1} MB of C#, {sources.Average(s => s.Length) / 1e3:F1} KB per file");
            var parse = new CSharpParseOptions(LanguageVersion.Latest);
            var trees = new SyntaxTree[sources.Count];
            Parallel.For(0, sources.Count, i => trees[i] = CSharpSyntaxTree.ParseText(sources[i], parse));
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Append(typeof(IModel).Assembly.Location).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
            var compilation = CSharpCompilation.Create("Batch", trees, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: true));
            var roslyn = Stopwatch.StartNew();
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Console.WriteLine($"Roslyn: {problems.Count} problems, {roslyn.Elapsed.TotalSeconds:F1} s");
            foreach (var p in problems.Take(5))
            {
                int file = Array.IndexOf(trees, p.Location.SourceTree);
                Console.WriteLine(p + "\n" + (file >= 0 ? texts[accepted[file]] : ""));
            }
            if (!emitted.Success) return 1;
            var run = Stopwatch.StartNew();
            var assembly = System.Reflection.Assembly.Load(stream.ToArray());
            int ran = 0;
            foreach (var type in assembly.GetTypes().Where(t => typeof(IModel).IsAssignableFrom(t)))
            {
                var model = (IModel)Activator.CreateInstance(type, 0)!;
                var data = new ModelData();
                foreach (var t in model.Inputs.Concat(model.Targets))
                {
                    if (t.Kind == TensorKind.Int) data.Set(t.Name, Enumerable.Range(0, 2 * t.Size).Select(k => k % t.Classes).ToArray());
                    else data.Set(t.Name, Enumerable.Range(0, 2 * t.Size).Select(k => (k % 7) / 7f - 0.4f).ToArray());
                }
                foreach (var o in model.Outputs) data.Set(o.Name, new float[2 * o.Size]);
                model.Forward(data, training: true);
                var g = new ModelData();
                foreach (var o in model.Outputs) g.Set(o.Name, Enumerable.Repeat(0.5f, 2 * o.Size).ToArray());
                model.Backward(g, null);
                model.TrainStep(data);
                ran++;
            }
            Console.WriteLine($"ran {ran} models in {run.Elapsed.TotalSeconds:F1} s; total {clock.Elapsed.TotalSeconds:F1} s");
            return problems.Count == 0 ? 0 : 1;
        }
    }
}
