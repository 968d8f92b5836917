using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using ModelC.Compiler;
using ModelC.Generators;
using Xunit;

namespace ModelC.Tests.Generators
{
    public class ModelCGeneratorTests
    {
        [Fact]
        public void GoodModel_AddsOneSourceNamedAfterTheModel_InTheProjectRootNamespace()
        {
            var result = GeneratorHarness.Run(GeneratorHarness.Model("tiny.model", TestModels.Tiny));

            Assert.Null(result.Exception);
            Assert.Empty(result.Diagnostics);
            var source = Assert.Single(result.GeneratedSources);
            Assert.Equal("Acme.Models.Tiny.g.cs", source.HintName);
            string code = source.SourceText.ToString();
            Assert.Contains("partial class Tiny", code);
            Assert.Contains("namespace " + GeneratorHarness.RootNamespace, code);
        }

        [Fact]
        public void GoodModel_GeneratedCodeCompilesAgainstTheRuntime()
        {
            var driver = GeneratorHarness.CreateDriver(new ModelCGenerator(), new[] { GeneratorHarness.Model("tiny.model", TestModels.Tiny) });

            driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.CreateCompilation(), out var updated, out var generatorDiagnostics);

            Assert.Empty(generatorDiagnostics);
            Assert.Single(updated.SyntaxTrees);
            var errors = updated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors.Take(10)));
            Assert.NotNull(updated.GetTypeByMetadataName(GeneratorHarness.RootNamespace + ".Tiny"));
        }

        [Fact]
        public void MissingSemicolon_ReportsAnErrorOnLine3OfTheModelFile_AndAddsOnlyAStandIn()
        {
            var broken = GeneratorHarness.Model("broken.model", TestModels.MissingSemicolonOnLine3);

            var result = GeneratorHarness.Run(broken);

            Assert.Null(result.Exception);
            Assert.Contains("has errors and was not compiled", Assert.Single(result.GeneratedSources).SourceText.ToString());
            var error = result.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            Assert.Matches(new Regex("^MC[0-9]{4}$"), error.Id);
            var span = error.Location.GetLineSpan();
            Assert.Equal(broken.Path, span.Path);
            Assert.Equal(2, span.StartLinePosition.Line); // 0-based: line 3
        }

        [Fact]
        public void UndefinedName_ReportsAnErrorAtTheNamesLineAndColumn()
        {
            var model = GeneratorHarness.Model("undefined.model", TestModels.UndefinedNameOnLine5);

            var result = GeneratorHarness.Run(model);

            Assert.Contains("has errors and was not compiled", Assert.Single(result.GeneratedSources).SourceText.ToString());
            var error = Assert.Single(result.Diagnostics, d => d.GetMessage().Contains("'z'"));
            Assert.Equal(DiagnosticSeverity.Error, error.Severity);
            Assert.Matches(new Regex("^MC[0-9]{4}$"), error.Id);
            var span = error.Location.GetLineSpan();
            Assert.Equal(model.Path, span.Path);
            Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(4, 21), span.StartLinePosition); // 0-based (5,22)
            Assert.Equal(TestModels.UndefinedNameOnLine5.IndexOf("(z)") + 1, error.Location.SourceSpan.Start);
            Assert.Equal(1, error.Location.SourceSpan.Length);
        }

        [Fact]
        public void BrokenFileNextToAGoodOne_StillYieldsTheGoodOnesCode()
        {
            var result = GeneratorHarness.Run(
                GeneratorHarness.Model("broken.model", TestModels.MissingSemicolonOnLine3),
                GeneratorHarness.Model("tiny.model", TestModels.Tiny),
                GeneratorHarness.Model("undefined.model", TestModels.UndefinedNameOnLine5));

            Assert.Null(result.Exception);
            var compiled = Assert.Single(result.GeneratedSources, s => !s.SourceText.ToString().Contains("has errors and was not compiled"));
            Assert.Equal("Acme.Models.Tiny.g.cs", compiled.HintName);
            // The broken files' classes are stand-ins, so code using them reports only the MC errors.
            Assert.Equal(new[] { "Acme.Models.Broken.g.cs", "Acme.Models.Tiny.g.cs", "Acme.Models.Undefined.g.cs" },
                result.GeneratedSources.Select(s => s.HintName).OrderBy(name => name).ToArray());
            var errorFiles = result.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => System.IO.Path.GetFileName(d.Location.GetLineSpan().Path))
                .Distinct()
                .OrderBy(name => name)
                .ToArray();
            Assert.Equal(new[] { "broken.model", "undefined.model" }, errorFiles);
        }

        [Fact]
        public void FilesThatAreNotModels_AreNeverCompiled()
        {
            int compiles = 0;
            var generator = new ModelCGenerator((path, text, options, token) =>
            {
                compiles++;
                return ModelCompiler.Compile(path, text, options, token);
            });

            var result = GeneratorHarness.Run(
                generator,
                GeneratorHarness.Model("notes.txt", TestModels.MissingSemicolonOnLine3),
                GeneratorHarness.Model("tiny.model.bak", TestModels.MissingSemicolonOnLine3),
                GeneratorHarness.Model("Tiny.MODEL", TestModels.Tiny));

            Assert.Equal(1, compiles);
            Assert.Empty(result.Diagnostics);
            Assert.Equal("Acme.Models.Tiny.g.cs", Assert.Single(result.GeneratedSources).HintName);
        }

        [Fact]
        public void TwoFilesDefiningTheSameModel_GetDistinctHintNames_WhateverTheirOrder()
        {
            var first = new InMemoryAdditionalText("/repo/a/tiny.model", TestModels.Tiny);
            var second = new InMemoryAdditionalText("/repo/b/tiny.model", TestModels.Tiny);

            var forward = GeneratorHarness.Run(first, second);
            var backward = GeneratorHarness.Run(second, first);

            Assert.Null(forward.Exception);
            var names = forward.GeneratedSources.Select(s => s.HintName).OrderBy(n => n).ToArray();
            Assert.Equal(new[] { "Acme.Models.Tiny.g.cs", "Acme.Models.Tiny.tiny.g.cs" }, names);
            Assert.Equal(names, backward.GeneratedSources.Select(s => s.HintName).OrderBy(n => n).ToArray());
        }
    }
}
