using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelC.Compiler;

namespace ModelC.Generators
{
    /// <summary>
    /// Turns every <c>*.model</c> file in AdditionalFiles into C#, and every <c>*.onnx</c> file
    /// listed there into a class with the same API (its graph imported, its weights embedded). The pipeline only moves plain
    /// data around; the compiling is done by <see cref="ModelCompiler"/>, the same call the
    /// modelc tool makes.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ModelCGenerator : IIncrementalGenerator
    {
        private const string ModelExtension = ".model";
        private const string OnnxExtension = ".onnx";
        private const string RootNamespaceProperty = "build_property.RootNamespace";

        private readonly CompileFunction _compile;
        private readonly ReadBytesFunction _readBytes;

        public ModelCGenerator()
            : this(ModelCompiler.Compile)
        {
        }

        /// <summary>Lets tests substitute the compiler, e.g. with one that throws, and the reading of .onnx files.</summary>
        internal ModelCGenerator(CompileFunction compile, ReadBytesFunction? readBytes = null)
        {
            _compile = compile ?? throw new ArgumentNullException(nameof(compile));
            _readBytes = readBytes ?? OnnxCompilationStep.ReadFromDisk;
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

            // An .onnx file is binary and AdditionalText only hands out decoded text, so its bytes
            // are read from its path: the one file access of the generator. The step reruns
            // whenever the compiler or the IDE gives the file a new AdditionalText (its content
            // changed), and its result is compared by value like a .model file's.
            var readBytes = _readBytes;
            var compiledOnnxModels = context.AdditionalTextsProvider
                .Where(static text => text.Path.EndsWith(OnnxExtension, StringComparison.OrdinalIgnoreCase))
                .Combine(rootNamespace)
                .Select((pair, cancellationToken) => OnnxCompilationStep.Run(pair.Left.Path, readBytes, pair.Right, compile, cancellationToken))
                .WithTrackingName(TrackingNames.CompiledOnnxModels);

            // Collected only here, where hint names must be made unique across files; each file
            // was compiled on its own above, so one broken file never hides another's output.
            context.RegisterSourceOutput(
                compiledModels.Collect().Combine(compiledOnnxModels.Collect()),
                static (output, models) => CompiledModelOutput.Add(output, models.Left.AddRange(models.Right)));
        }

        private static string? ReadRootNamespace(AnalyzerConfigOptionsProvider options) =>
            options.GlobalOptions.TryGetValue(RootNamespaceProperty, out var value) && !string.IsNullOrWhiteSpace(value)
                ? value.Trim()
                : null;
    }
}
