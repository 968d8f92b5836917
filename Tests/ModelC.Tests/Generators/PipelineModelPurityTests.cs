using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ModelC.Generators;
using Xunit;

namespace ModelC.Tests.Generators
{
    /// <summary>
    /// The incremental driver compares step outputs between runs and keeps them alive; a symbol,
    /// syntax node or parse tree inside them would defeat caching and pin whole compilations.
    /// </summary>
    public class PipelineModelPurityTests
    {
        [Fact]
        public void TrackedStepOutputs_HoldNoCompilerOrParserObjects()
        {
            var driver = GeneratorHarness.CreateDriver(
                new ModelCGenerator(),
                new[]
                {
                    GeneratorHarness.Model("tiny.model", TestModels.Tiny),
                    GeneratorHarness.Model("broken.model", TestModels.MissingSemicolonOnLine3),
                },
                trackSteps: true).RunGenerators(GeneratorHarness.CreateCompilation());
            var run = driver.GetRunResult().Results.Single();

            var walker = new ForbiddenObjectWalker();
            foreach (string step in new[] { TrackingNames.ModelSources, TrackingNames.RootNamespace, TrackingNames.CompiledModels })
            {
                foreach (var output in run.TrackedSteps[step].SelectMany(s => s.Outputs))
                    walker.Walk(output.Value, step);
            }

            Assert.Empty(walker.Violations);
            // The walk did reach the leaves: generated files and diagnostics of both models.
            Assert.Contains(typeof(GeneratedSource), walker.SeenTypes);
            Assert.Contains(typeof(DiagnosticInfo), walker.SeenTypes);
            Assert.Contains(typeof(ModelSource), walker.SeenTypes);
        }

        [Fact]
        public void Walker_FindsAForbiddenObjectHiddenInsideARecord()
        {
            var hidden = Location.Create("x.model", new TextSpan(0, 1), new LinePositionSpan(new LinePosition(0, 0), new LinePosition(0, 1)));
            var walker = new ForbiddenObjectWalker();

            walker.Walk(new List<object> { new Tuple<string, object>("a", hidden) }, "root");

            var violation = Assert.Single(walker.Violations);
            Assert.Contains("Location", violation);
        }

        private sealed class ForbiddenObjectWalker
        {
            private static readonly Type[] ForbiddenBaseTypes =
            {
                typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation),
                typeof(SemanticModel), typeof(AdditionalText), typeof(SourceText),
            };

            private readonly HashSet<object> _visited = new HashSet<object>(ReferenceEqualityComparer.Instance);

            public List<string> Violations { get; } = new List<string>();

            public HashSet<Type> SeenTypes { get; } = new HashSet<Type>();

            public void Walk(object? value, string path)
            {
                if (value is null)
                    return;
                var type = value.GetType();
                SeenTypes.Add(type);
                if (IsForbidden(type))
                {
                    Violations.Add($"{path}: {type.FullName}");
                    return;
                }
                if (type.IsPrimitive || type.IsEnum || value is string || value is decimal)
                    return;
                if (!type.IsValueType && !_visited.Add(value))
                    return;

                if (value is IEnumerable sequence)
                {
                    int index = 0;
                    foreach (var item in sequence)
                        Walk(item, $"{path}[{index++}]");
                }
                for (var declaring = type; declaring != null && declaring != typeof(object); declaring = declaring.BaseType)
                {
                    foreach (var field in declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                        Walk(field.GetValue(value), $"{path}.{field.Name}");
                }
            }

            private static bool IsForbidden(Type type) =>
                ForbiddenBaseTypes.Any(forbidden => forbidden.IsAssignableFrom(type))
                || (type.Namespace ?? "").StartsWith("Antlr4", StringComparison.Ordinal)
                // Syntax trees of the DSL belong in the compiler, not in what the driver caches.
                || type.Assembly.GetName().Name == "ModelC.Dsl";
        }
    }
}
