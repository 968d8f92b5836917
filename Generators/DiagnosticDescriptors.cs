using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using DiagnosticCatalog = ModelC.Compiler.Diagnostics.DiagnosticCatalog;

namespace ModelC.Generators
{
    /// <summary>
    /// Every descriptor the generator reports. The compiler owns the MCnnnn series and hands codes
    /// over as data, so descriptors are made on demand per code; the generator's own failures
    /// use the top of the series.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        public const string Category = "ModelC";

        /// <summary>Something inside the compiler or generator failed; never the user's fault.</summary>
        public const string InternalErrorCode = DiagnosticCatalog.InternalError;

        /// <summary>The .model file is listed in AdditionalFiles but its text could not be read.</summary>
        public const string UnreadableFileCode = DiagnosticCatalog.UnreadableFile;

        private static readonly ConcurrentDictionary<(string Code, bool IsError), DiagnosticDescriptor> ByCode =
            new ConcurrentDictionary<(string Code, bool IsError), DiagnosticDescriptor>();

        public static DiagnosticDescriptor ForCode(string code, bool isError) =>
            ByCode.GetOrAdd((code, isError), static key => Create(key.Code, key.IsError));

        // The message varies per occurrence ("fc2 expects [128] but h1 is [64]"), so it is the
        // format's only argument; the title is the catalog's one line for the code.
        private static DiagnosticDescriptor Create(string code, bool isError) => new DiagnosticDescriptor(
            id: code,
            title: DiagnosticCatalog.Titles.TryGetValue(code, out var title) ? title : $"ModelC {code}",
            messageFormat: "{0}",
            category: Category,
            defaultSeverity: isError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            isEnabledByDefault: true);
    }
}
