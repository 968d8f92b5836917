using System.Collections.Generic;
using System.Linq;
using ModelC.Dsl.Syntax;

namespace ModelC.Dsl.Parsing
{
    /// <summary>
    /// Collects the diagnostics of one parse, keeping one syntax error per statement and at most
    /// <see cref="SyntaxErrorCodes.MaxDiagnostics"/> in all, so one mistake does not bury the others.
    /// </summary>
    internal sealed class DiagnosticBag
    {
        private readonly List<SyntaxDiagnostic> diagnostics = new List<SyntaxDiagnostic>();
        private readonly HashSet<object> statementsWithSyntaxErrors = new HashSet<object>();

        public int Count => diagnostics.Count;

        public void Report(string code, string message, SourceSpan span)
        {
            if (diagnostics.Count < SyntaxErrorCodes.MaxDiagnostics)
            {
                diagnostics.Add(new SyntaxDiagnostic(code, message, span));
            }
        }

        /// <summary>Reports a syntax error unless the statement it is in (when known) already has one.</summary>
        public void ReportSyntaxError(string message, SourceSpan span, object? statement)
        {
            if (statement != null && !statementsWithSyntaxErrors.Add(statement))
            {
                return;
            }

            Report(SyntaxErrorCodes.SyntaxError, message, span);
        }

        /// <summary>In text order; reports at the same place keep the order they were made in.</summary>
        public IReadOnlyList<SyntaxDiagnostic> ToSortedList() =>
            diagnostics.Select((diagnostic, index) => (diagnostic, index))
                .OrderBy(entry => entry.diagnostic.Span.Start)
                .ThenBy(entry => entry.index)
                .Select(entry => entry.diagnostic)
                .ToArray();
    }
}
