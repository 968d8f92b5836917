using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelC.Compiler;

namespace ModelC.Generators
{
    /// <summary>
    /// Turns every <c>*.model</c> file in AdditionalFiles into C#. The pipeline only moves plain
    /// data around; the compiling is done by <see cref="ModelCompiler"/>, the same call the
    /// modelc tool makes.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModelCGenerator : IIncrementalGenerator
    {
        private const string ModelExtension = ".model";
        private const string RootNamespaceProperty = "build_property.RootNamespace";

        private readonly CompileFunction _compile;

        public ModelCGenerator()
            : this(ModelCompiler.Compile)
        {
        }

        /// <summary>Lets tests substitute the compiler, e.g. with one that throws.</summary>
        internal ModelCGenerator(CompileFunction compile)
        {
            _compile = compile ?? throw new ArgumentNullException(nameof(compile));
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var modelSources = context.AdditionalTextsProvider
                .Where(static text => text.Path.EndsWith(ModelExtension, StringComparison.OrdinalIgnoreCase))
                .Select(static (text, cancellationToken) => new ModelSource(text.Path, text.GetText(cancellationToken)?.ToString()))
                .WithTrackingName(TrackingNames.ModelSources);

            var rootNamespace = context.AnalyzerConfigOptionsProvider
                .Select(static (options, _) => ReadRootNamespace(options))
                .WithTrackingName(TrackingNames.RootNamespace);

            var compile = _compile;
            var compiledModels = modelSources
                .Combine(rootNamespace)
                .Select((pair, cancellationToken) => ModelCompilationStep.Run(pair.Left, pair.Right, compile, cancellationToken))
                .WithTrackingName(TrackingNames.CompiledModels);

            // Collected only here, where hint names must be made unique across files; each file
            // was compiled on its own above, so one broken file never hides another's output.
            context.RegisterSourceOutput(compiledModels.Collect(), static (output, models) => CompiledModelOutput.Add(output, models));
        }

        private static string? ReadRootNamespace(AnalyzerConfigOptionsProvider options) =>
            options.GlobalOptions.TryGetValue(RootNamespaceProperty, out var value) && !string.IsNullOrWhiteSpace(value)
                ? value.Trim()
                : null;
    }
}
