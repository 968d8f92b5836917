using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Runtime;

namespace ModelC.InMemory
{
    /// <summary>
    /// Compiles the C# that ModelC emits into an assembly in memory and creates its models, so
    /// that a model can be trained without a C# project (<c>modelc train</c> and <c>modelc export</c>, and the tests).
    /// </summary>
    public static class InMemoryModels
    {
        private static readonly Lazy<MetadataReference[]> References = new(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Append(typeof(IModel).Assembly.Location)
                .Distinct()
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToArray());

        /// <summary>Compiles <paramref name="source"/>; returns null and the C# compiler's warnings and errors when it is not clean.</summary>
        public static Assembly? Compile(string source, out IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> problems) =>
            Compile(new[] { source }, out problems);

        /// <summary>
        /// The same for several files, each its own syntax tree as the generator adds them (a file's
        /// using directives come before its types, so generated files cannot simply be concatenated).
        /// </summary>
        public static Assembly? Compile(IEnumerable<string> sources, out IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> problems)
        {
            var options = new CSharpParseOptions(LanguageVersion.Latest);
            var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source, options)).ToArray();
            var compilation = CSharpCompilation.Create(
                "Model" + Guid.NewGuid().ToString("N"),
                trees,
                References.Value,
                new CSharpCompilationOptions(
                    OutputKind.DynamicallyLinkedLibrary,
                    optimizationLevel: OptimizationLevel.Release,
                    nullableContextOptions: NullableContextOptions.Enable,
                    concurrentBuild: false));
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            return emitted.Success && problems.Count == 0 ? Assembly.Load(stream.ToArray()) : null;
        }

        /// <summary>A new instance of the model class named <paramref name="modelName"/> (or the only one) in <paramref name="assembly"/>.</summary>
        public static IModel Create(Assembly assembly, string? modelName, int seed)
        {
            var types = assembly.GetTypes().Where(t => typeof(IModel).IsAssignableFrom(t)).ToList();
            if (modelName is null) return New(types.Single(), seed);
            var named = types.SingleOrDefault(t => t.Name == modelName);
            if (named is not null) return New(named, seed);
            // A model whose name C# cannot take as is (a member's name, or too long) has a class of another name.
            return types.Select(t => New(t, seed)).Single(model => model.Name == modelName);
        }

        private static IModel New(Type type, int seed) => (IModel)Activator.CreateInstance(type, seed)!;
    }
}
