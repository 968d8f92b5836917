using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Compiler;
using ModelC.Generators;
using Xunit;

namespace ModelC.Tests.Generators
{
    public class ModelCGeneratorIncrementalTests
    {
        private static readonly string[] OurSteps = { TrackingNames.ModelSources, TrackingNames.RootNamespace, TrackingNames.CompiledModels };

        [Fact]
        public void EditingCSharpAndAnotherModel_LeavesTheUnchangedModelCachedAndUncompiled()
        {
            var compiledPaths = new List<string>();
            var generator = new ModelCGenerator((path, text, options, token) =>
            {
                compiledPaths.Add(path);
                return ModelCompiler.Compile(path, text, options, token);
            });
            var tiny = GeneratorHarness.Model("tiny.model", TestModels.Tiny);
            var other = GeneratorHarness.Model("other.model", TestModels.Other);
            var compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class First { } }");
            var driver = GeneratorHarness.CreateDriver(generator, new[] { tiny, other }, trackSteps: true).RunGenerators(compilation);
            Assert.Equal(2, compiledPaths.Count);

            var editedOther = GeneratorHarness.Model("other.model", TestModels.Other.Replace("float[2]", "float[4]"));
            driver = driver
                .ReplaceAdditionalText(other, editedOther)
                .RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Second { } }")));

            Assert.Equal(new[] { tiny.Path, other.Path, other.Path }, compiledPaths);
            var run = driver.GetRunResult().Results.Single();
            Assert.Equal(new[] { "Acme.Models.Other.g.cs", "Acme.Models.Tiny.g.cs" }, run.GeneratedSources.Select(s => s.HintName).OrderBy(n => n).ToArray());
            foreach (string step in OurSteps)
            {
                var outputsOfTiny = run.TrackedSteps[step]
                    .SelectMany(s => s.Outputs)
                    .Where(output => step == TrackingNames.RootNamespace || MentionsPath(output.Value, tiny.Path))
                    .ToList();
                Assert.NotEmpty(outputsOfTiny);
                Assert.All(outputsOfTiny, output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"step {step}: {output.Reason}"));
            }
        }

        [Fact]
        public void EditingAModel_RecompilesItAndReportsItsStepsAsModified()
        {
            var tiny = GeneratorHarness.Model("tiny.model", TestModels.Tiny);
            var compilation = GeneratorHarness.CreateCompilation();
            var driver = GeneratorHarness.CreateDriver(new ModelCGenerator(), new[] { tiny }, trackSteps: true).RunGenerators(compilation);

            driver = driver
                .ReplaceAdditionalText(tiny, GeneratorHarness.Model("tiny.model", TestModels.MissingSemicolonOnLine3))
                .RunGenerators(compilation);

            var run = driver.GetRunResult().Results.Single();
            var compiled = Assert.Single(run.TrackedSteps[TrackingNames.CompiledModels].SelectMany(s => s.Outputs));
            Assert.Equal(IncrementalStepRunReason.Modified, compiled.Reason);
            // The broken model's class is now only its stand-in.
            Assert.Contains("has errors and was not compiled", Assert.Single(run.GeneratedSources).SourceText.ToString());
            Assert.Contains(run.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        }

        [Fact]
        public void EditThatChangesNoOutput_IsRecompiledButReportedUnchanged()
        {
            var tiny = GeneratorHarness.Model("tiny.model", TestModels.Tiny);
            var compilation = GeneratorHarness.CreateCompilation();
            // The real compiler carries the whole text into the class ([ModelSource]), so every edit changes
            // its output; this one ignores trailing blank lines, to see an unchanged output compared by value.
            var generator = new ModelCGenerator((path, text, options, cancellationToken) =>
                ModelC.Compiler.ModelCompiler.Compile(path, text.TrimEnd() + "\n", options, cancellationToken));
            var driver = GeneratorHarness.CreateDriver(generator, new[] { tiny }, trackSteps: true).RunGenerators(compilation);

            // Blank lines after the closing brace change the text but, for this compiler, not the output.
            driver = driver
                .ReplaceAdditionalText(tiny, GeneratorHarness.Model("tiny.model", TestModels.Tiny + "\n\n"))
                .RunGenerators(compilation);

            var run = driver.GetRunResult().Results.Single();
            Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(run.TrackedSteps[TrackingNames.ModelSources].SelectMany(s => s.Outputs)).Reason);
            // Equal by value (EquatableArray), so the driver skips re-adding the sources.
            Assert.Equal(IncrementalStepRunReason.Unchanged, Assert.Single(run.TrackedSteps[TrackingNames.CompiledModels].SelectMany(s => s.Outputs)).Reason);
        }

        private static bool MentionsPath(object value, string path) => value switch
        {
            ModelSource source => source.Path == path,
            CompiledModel model => model.FilePath == path,
            _ => false,
        };
    }
}
