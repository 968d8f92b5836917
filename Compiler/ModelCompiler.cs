using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ModelC.Compiler.Autodiff;
using ModelC.Compiler.Binding;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Emit;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler
{
    public sealed record CompileOptions(string? DefaultNamespace = null);

    /// <summary>One C# file to add to the compilation: HintName is unique per model ("Samples.Fashion.FashionMlp.g.cs").</summary>
    public sealed record GeneratedFile(string HintName, string Source);

    public sealed record CompileResult(IReadOnlyList<GeneratedFile> Files, IReadOnlyList<Diagnostic> Diagnostics)
    {
        public bool HasErrors => Diagnostics.Any(d => d.IsError);

        /// <summary>
        /// For each model with errors, a class with its public surface whose members throw: the
        /// generator adds these so that a build reports the MC errors only, not also CS0246 at every
        /// use of the class. Tools that write or run code (modelc emit, train) ignore them.
        /// </summary>
        public IReadOnlyList<GeneratedFile> StandIns { get; init; } = Array.Empty<GeneratedFile>();
    }

    /// <summary>A model bound and planned, for tools that inspect rather than emit (summary, graph).</summary>
    public sealed record AnalyzedModel(ModelGraph Graph, ModelPlan Plan)
    {
        /// <summary>The syntax the model was bound from.</summary>
        internal ModelSyntax Syntax { get; init; } = null!;
    }

    /// <summary>
    /// The whole compiler behind one call: text of a .model file in, C# and diagnostics out.
    /// The generator and the modelc tool both call this, so they emit the same code.
    /// Pipeline: parse (Dsl) -> bind and infer shapes -> plan storage and gradients -> emit.
    /// </summary>
    public static class ModelCompiler
    {
        /// <summary>Never throws except for cancellation: an internal failure becomes diagnostic MC9999.</summary>
        public static CompileResult Compile(string filePath, string text, CompileOptions? options = null, CancellationToken cancellationToken = default)
        {
            var diagnostics = new DiagnosticBag(filePath);
            using var invariant = new InvariantCultureScope();
            var failed = new List<FailedModel>();
            try
            {
                var models = AnalyzeFile(filePath, text, options, diagnostics, cancellationToken, failed);
                if (diagnostics.HasErrors)
                    return new CompileResult(Array.Empty<GeneratedFile>(), diagnostics.Items) { StandIns = StandIns(filePath, models, failed) };
                var files = new List<GeneratedFile>();
                var names = ModelNames.ForFile(models.Select(m => m.Graph).ToList());
                for (int i = 0; i < models.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var model = models[i];
                    files.Add(new GeneratedFile(HintName(model.Graph.Namespace, model.Graph.Name), ModelEmitter.Emit(model.Plan, names[i])));
                }
                return new CompileResult(files, diagnostics.Items);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                ReportInternalError(diagnostics, exception);
                return new CompileResult(Array.Empty<GeneratedFile>(), diagnostics.Items);
            }
        }

        private static string HintName(string? @namespace, string name) => (@namespace is string ns ? ns + "." : "") + name + ".g.cs";

        /// <summary>A model left out of the output, with the namespace its class would have had.</summary>
        private sealed record FailedModel(ModelSyntax Syntax, string? Namespace);

        // One error in a file fails the whole file's output (a model may use another's block), so
        // every model of it gets a stand-in: the ones with errors and the clean ones alike.
        private static IReadOnlyList<GeneratedFile> StandIns(string filePath, IReadOnlyList<AnalyzedModel> clean, IReadOnlyList<FailedModel> failed)
        {
            var standIns = new List<GeneratedFile>();
            var fileName = Path.GetFileName(filePath);
            var all = failed.Concat(clean.Select(m => new FailedModel(m.Syntax, m.Graph.Namespace)));
            foreach (var model in all)
            {
                if (StandInEmitter.Emit(model.Syntax, model.Namespace, fileName) is string source)
                    standIns.Add(new GeneratedFile(HintName(model.Namespace, model.Syntax.Name), source));
            }
            return standIns;
        }

        private static void ReportInternalError(DiagnosticBag diagnostics, Exception exception) =>
            diagnostics.ReportInternalError(exception);

        /// <summary>
        /// Parses and binds every model of a file; diagnostics go to the bag. Models with errors are
        /// left out. Like <see cref="Compile"/>, never throws except for cancellation (MC9999 instead).
        /// </summary>
        public static IReadOnlyList<AnalyzedModel> Analyze(string filePath, string text, CompileOptions? options, DiagnosticBag diagnostics, CancellationToken cancellationToken = default)
        {
            using var invariant = new InvariantCultureScope();
            try
            {
                return AnalyzeFile(filePath, text, options, diagnostics, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                ReportInternalError(diagnostics, exception);
                return Array.Empty<AnalyzedModel>();
            }
        }

        private static IReadOnlyList<AnalyzedModel> AnalyzeFile(string filePath, string text, CompileOptions? options, DiagnosticBag diagnostics, CancellationToken cancellationToken,
            List<FailedModel>? failed = null)
        {
            var parsed = ModelParser.Parse(text, cancellationToken);
            diagnostics.AddSyntaxErrors(parsed.Diagnostics);
            var file = parsed.File;
            var @namespace = file.Namespace ?? (string.IsNullOrWhiteSpace(options?.DefaultNamespace) ? null : options!.DefaultNamespace);
            // Binding a tree with syntax errors would mostly repeat them in other words.
            if (parsed.HasErrors)
            {
                failed?.AddRange(file.Models.GroupBy(m => m.Name).Select(g => new FailedModel(g.First(), @namespace)));
                return Array.Empty<AnalyzedModel>();
            }

            var blockNames = new Dictionary<string, BlockSyntax>();
            var budget = new CompileBudget();
            foreach (var block in file.Blocks)
            {
                if (blockNames.TryGetValue(block.Name, out var first))
                    diagnostics.ReportDuplicateBlock(block.NameSpan, block.Name, first.NameSpan.Line);
                else blockNames[block.Name] = block;
            }

            var result = new List<AnalyzedModel>();
            var names = new HashSet<string>();
            var fileName = Path.GetFileName(filePath);
            for (int m = 0; m < file.Models.Count; m++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var model = file.Models[m];
                if (m == CompileBudget.MaxModels)
                    diagnostics.ReportTooManyModels(model.NameSpan);
                // Left unbound: binding them could not change the file's outcome, only its cost. Past
                // the limit they get no stand-in class either, for the same reason.
                if (m >= CompileBudget.MaxModels) continue;
                if (budget.OperationsExhausted)
                {
                    failed?.Add(new FailedModel(model, @namespace));
                    continue;
                }
                if (!names.Add(model.Name))
                {
                    diagnostics.ReportDuplicateModel(model.NameSpan, model.Name);
                    continue;
                }
                int before = diagnostics.ErrorCount;
                var graph = Binder.Bind(model, @namespace, fileName, text, diagnostics, cancellationToken, blockNames, budget);
                if (diagnostics.ErrorCount != before)
                {
                    failed?.Add(new FailedModel(model, @namespace));
                    continue;
                }
                var plan = ModelPlan.Create(graph);
                if (plan.TooLarge is { } tooLarge)
                {
                    diagnostics.ReportTooLarge(tooLarge.At.Span, tooLarge.Message);
                    failed?.Add(new FailedModel(model, @namespace));
                }
                else
                    result.Add(new AnalyzedModel(graph, plan) { Syntax = model });
            }
            return result;
        }
    }

    /// <summary>
    /// Diagnostics quote numbers and generated code writes them; both must read the same on every
    /// machine (1.5, never 1,5), so compiling runs under the invariant culture and restores the caller's.
    /// </summary>
    internal readonly struct InvariantCultureScope : IDisposable
    {
        private readonly CultureInfo _previous;

        public InvariantCultureScope()
        {
            _previous = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        }

        public void Dispose() => CultureInfo.CurrentCulture = _previous;
    }
}
