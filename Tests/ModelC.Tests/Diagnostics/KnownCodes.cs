using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ModelC.Compiler.Diagnostics;
using ModelC.Dsl.Syntax;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>The diagnostic codes the two catalogs declare, read from their constants.</summary>
    internal static class KnownCodes
    {
        public static IReadOnlyCollection<string> InDiagnosticCatalog { get; } = CodeConstants(typeof(DiagnosticCatalog));

        public static IReadOnlyCollection<string> InSyntaxErrorCodes { get; } = CodeConstants(typeof(SyntaxErrorCodes));

        public static IReadOnlyCollection<string> All { get; } = InDiagnosticCatalog.Union(InSyntaxErrorCodes).ToArray();

        /// <summary>Only the generator reports these, so a model text cannot trigger them.</summary>
        public static IReadOnlyCollection<string> NotFromModelText { get; } =
            new[] { DiagnosticCatalog.OnnxNotCompilable, DiagnosticCatalog.UnreadableFile, DiagnosticCatalog.InternalError };

        private static string[] CodeConstants(System.Type catalog) =>
            catalog.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (string)f.GetRawConstantValue()!)
                .Where(value => value.StartsWith("MC"))
                .Distinct()
                .OrderBy(code => code)
                .ToArray();
    }
}
