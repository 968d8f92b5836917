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
            return ModelC.InMemory.InMemoryModels.Create(CompileAssembly(modelText), modelName, seed);
        }

        /// <summary>The generated files of a model text, one per model, as the generator adds them.</summary>
        public static IReadOnlyList<string> EmitFiles(string modelText, string fileName = "test.model")
        {
            var result = ModelCompiler.Compile(fileName, modelText);
            if (result.HasErrors || result.Files.Count == 0)
                throw new InvalidOperationException("model did not compile:\n" + string.Join("\n", result.Diagnostics));
            return result.Files.Select(f => f.Source).ToList();
        }

        private static Assembly Build(string modelText)
        {
            var files = EmitFiles(modelText);
            string source = string.Join("\n", files);
            return ModelC.InMemory.InMemoryModels.Compile(files, out var problems)
                ?? throw new InvalidOperationException("generated C# does not compile cleanly:\n" + string.Join("\n", problems) + "\n\n" + source);
        }
    }
}
