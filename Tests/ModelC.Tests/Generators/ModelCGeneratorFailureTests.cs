using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ModelC.Compiler;
using ModelC.Dsl.Syntax;
using ModelC.Generators;
using Xunit;
using ModelDiagnostic = ModelC.Compiler.Diagnostics.Diagnostic;
using ModelSeverity = ModelC.Compiler.Diagnostics.DiagnosticSeverity;

namespace ModelC.Tests.Generators
{
    public class ModelCGeneratorFailureTests
    {
        [Fact]
        public void CompilerThatThrows_BecomesMC9999AtTheModelFile_NotAGeneratorCrash()
        {
            var generator = new ModelCGenerator((path, text, options, token) => throw new InvalidOperationException("boom\nsecond line"));
            var model = GeneratorHarness.Model("tiny.model", TestModels.Tiny);

            var result = GeneratorHarness.Run(generator, model);

            Assert.Null(result.Exception);
            Assert.Empty(result.GeneratedSources);
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("MC9999", diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal("internal compiler error: boom second line", diagnostic.GetMessage());
            Assert.Equal("Internal compiler error", diagnostic.Descriptor.Title.ToString());
            Assert.Equal(model.Path, diagnostic.Location.GetLineSpan().Path);
            Assert.Equal(new LinePosition(0, 0), diagnostic.Location.GetLineSpan().StartLinePosition);
        }

        [Fact]
        public void CompilerThatThrowsForOneFile_StillYieldsTheOthers()
        {
            var generator = new ModelCGenerator((path, text, options, token) =>
                path.EndsWith("crash.model", StringComparison.Ordinal)
                    ? throw new NullReferenceException("deep inside")
                    : ModelCompiler.Compile(path, text, options, token));

            var result = GeneratorHarness.Run(
                generator,
                GeneratorHarness.Model("crash.model", TestModels.Other),
                GeneratorHarness.Model("tiny.model", TestModels.Tiny));

            Assert.Equal("Acme.Models.Tiny.g.cs", Assert.Single(result.GeneratedSources).HintName);
            Assert.Equal("MC9999", Assert.Single(result.Diagnostics).Id);
        }

        [Fact]
        public void Cancellation_PropagatesOutOfTheDriver()
        {
            using var cancellation = new CancellationTokenSource();
            CancellationToken seenByCompiler = default;
            var generator = new ModelCGenerator((path, text, options, token) =>
            {
                seenByCompiler = token;
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                throw new InvalidOperationException("the token passed to the compiler was not the driver's");
            });
            var driver = GeneratorHarness.CreateDriver(generator, new[] { GeneratorHarness.Model("tiny.model", TestModels.Tiny) });

            Assert.ThrowsAny<OperationCanceledException>(() => driver.RunGenerators(GeneratorHarness.CreateCompilation(), cancellation.Token));
            Assert.True(seenByCompiler.IsCancellationRequested);
        }

        [Fact]
        public void OperationCanceledWithoutCancellation_IsAnInternalError()
        {
            var generator = new ModelCGenerator((path, text, options, token) => throw new OperationCanceledException("stray"));

            var result = GeneratorHarness.Run(generator, GeneratorHarness.Model("tiny.model", TestModels.Tiny));

            Assert.Null(result.Exception);
            Assert.Equal("internal compiler error: stray", Assert.Single(result.Diagnostics).GetMessage());
        }

        [Fact]
        public void UnreadableModelFile_IsReportedAsMC9998()
        {
            var unreadable = new UnreadableAdditionalText("/nowhere/gone.model");

            var result = GeneratorHarness.Run(unreadable);

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("MC9998", diagnostic.Id);
            Assert.Equal("cannot read model file '/nowhere/gone.model'", diagnostic.GetMessage());
            Assert.Equal("/nowhere/gone.model", diagnostic.Location.GetLineSpan().Path);
        }

        [Fact]
        public void CompilerDiagnostics_KeepTheirSeverityCodeAndExactSpan()
        {
            var warning = new ModelDiagnostic("MC0123", ModelSeverity.Warning, "layer fc2 is never used", "/m/w.model", new SourceSpan(10, 4, 2, 5, 2, 9));
            var generator = new ModelCGenerator((path, text, options, token) =>
                new CompileResult(new[] { new GeneratedFile("W.g.cs", "namespace W { }") }, new[] { warning }));

            var result = GeneratorHarness.Run(generator, GeneratorHarness.Model("w.model", "model W {}"));

            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("MC0123", diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
            Assert.Equal("layer fc2 is never used", diagnostic.GetMessage());
            Assert.Equal("ModelC", diagnostic.Descriptor.Category);
            Assert.Equal("ModelC MC0123", diagnostic.Descriptor.Title.ToString()); // a code the catalog does not know
            Assert.Equal(new TextSpan(10, 4), diagnostic.Location.SourceSpan);
            var lines = diagnostic.Location.GetLineSpan();
            Assert.Equal("/m/w.model", lines.Path);
            Assert.Equal(new LinePositionSpan(new LinePosition(1, 4), new LinePosition(1, 8)), lines.Span);
            // A warning does not block the model's code.
            Assert.Equal("W.g.cs", Assert.Single(result.GeneratedSources).HintName);
        }

        [Fact]
        public void RootNamespace_IsPassedToTheCompiler_AndAbsentWhenTheProjectHasNone()
        {
            string? seen = "unset";
            var generator = new ModelCGenerator((path, text, options, token) =>
            {
                seen = options?.DefaultNamespace;
                return new CompileResult(Array.Empty<GeneratedFile>(), Array.Empty<ModelDiagnostic>());
            });
            var model = GeneratorHarness.Model("tiny.model", TestModels.Tiny);

            GeneratorHarness.Run(generator, model);
            Assert.Equal(GeneratorHarness.RootNamespace, seen);

            var withoutNamespace = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
                new[] { generator.AsSourceGenerator() },
                new[] { model },
                optionsProvider: new TestAnalyzerConfigOptionsProvider(new System.Collections.Generic.Dictionary<string, string>()));
            withoutNamespace.RunGenerators(GeneratorHarness.CreateCompilation());
            Assert.Null(seen);
        }

        private sealed class UnreadableAdditionalText : AdditionalText
        {
            public UnreadableAdditionalText(string path)
            {
                Path = path;
            }

            public override string Path { get; }

            public override SourceText? GetText(CancellationToken cancellationToken = default) => null;
        }
    }
}
