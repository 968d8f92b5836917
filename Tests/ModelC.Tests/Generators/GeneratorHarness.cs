using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Generators;

namespace ModelC.Tests.Generators
{
    /// <summary>Runs <see cref="ModelCGenerator"/> the way the C# compiler does, over an in-memory compilation.</summary>
    internal static class GeneratorHarness
    {
        public const string RootNamespace = "Acme.Models";

        private static readonly Lazy<MetadataReference[]> References = new Lazy<MetadataReference[]>(LoadReferences);

        public static CSharpCompilation CreateCompilation(params string[] sources) => CSharpCompilation.Create(
            "Consumer",
            sources.Select(source => CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default)),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        public static GeneratorDriver CreateDriver(IIncrementalGenerator generator, IEnumerable<AdditionalText> additionalTexts, bool trackSteps = false) =>
            CSharpGeneratorDriver.Create(
                new[] { generator.AsSourceGenerator() },
                additionalTexts,
                CSharpParseOptions.Default,
                TestAnalyzerConfigOptionsProvider.WithRootNamespace(RootNamespace),
                new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

        public static GeneratorRunResult Run(IIncrementalGenerator generator, params AdditionalText[] additionalTexts)
        {
            var driver = CreateDriver(generator, additionalTexts).RunGenerators(CreateCompilation());
            return driver.GetRunResult().Results.Single();
        }

        public static GeneratorRunResult Run(params AdditionalText[] additionalTexts) => Run(new ModelCGenerator(), additionalTexts);

        /// <summary>A model file placed under a path that exists nowhere, so nothing can come from disk.</summary>
        public static InMemoryAdditionalText Model(string fileName, string text) =>
            new InMemoryAdditionalText(Path.Combine(Path.GetTempPath(), "modelc-generator-tests", fileName), text);

        // Everything the test host loads (the net10.0 framework, ModelC.Runtime and its packages):
        // a superset of what a consumer of the generator compiles against.
        private static MetadataReference[] LoadReferences()
        {
            var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            return trusted
                .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .Append(typeof(ModelC.Runtime.IModel).Assembly.Location)
                .Distinct(StringComparer.Ordinal)
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
                .ToArray();
        }
    }
}
