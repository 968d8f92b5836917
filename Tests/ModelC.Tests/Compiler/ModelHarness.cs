using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Compiler;
using ModelC.Runtime;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Compiles .model text to C# with ModelCompiler, then the C# to an in-memory assembly with
    /// Roslyn, and hands back the model as an IModel: so a test can state a model inline.
    /// </summary>
    public static class ModelHarness
    {
        private static readonly ConcurrentDictionary<string, Lazy<Assembly>> Cache = new();

        private static readonly Lazy<MetadataReference[]> References = new(() =>
        {
            var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Append(typeof(IModel).Assembly.Location)
                .Distinct();
            return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
        });

        /// <summary>The C# ModelC emits for a model; fails the test on diagnostics.</summary>
        public static string EmitSource(string modelText, string fileName = "test.model")
        {
            var result = ModelCompiler.Compile(fileName, modelText);
            if (result.HasErrors || result.Files.Count == 0)
                throw new InvalidOperationException("model did not compile:\n" + string.Join("\n", result.Diagnostics));
            return string.Join("\n", result.Files.Select(f => f.Source));
        }

        public static Assembly CompileAssembly(string modelText) =>
            Cache.GetOrAdd(modelText, text => new Lazy<Assembly>(() => Build(text))).Value;

        /// <summary>A fresh instance of the (only or named) model of the text.</summary>
        public static IModel Create(string modelText, int seed = 0, string? modelName = null)
        {
            var assembly = CompileAssembly(modelText);
            var type = assembly.GetTypes().Single(t => typeof(IModel).IsAssignableFrom(t) && (modelName is null || t.Name == modelName));
            return (IModel)Activator.CreateInstance(type, seed)!;
        }

        private static Assembly Build(string modelText)
        {
            var source = EmitSource(modelText);
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
            var compilation = CSharpCompilation.Create("Model" + Guid.NewGuid().ToString("N"), new[] { tree }, References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                    nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (!emitted.Success || problems.Count > 0)
                throw new InvalidOperationException("generated C# does not compile cleanly:\n" + string.Join("\n", problems) + "\n\n" + source);
            return Assembly.Load(stream.ToArray());
        }
    }
}
