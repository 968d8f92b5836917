using System.Collections.Generic;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Diagnostics
{
    /// <summary>
    /// Mistakes in shapes and sizes: values that do not fit together, tensors too large for an
    /// array, nesting too deep for the stack, and the compiler's own failures.
    /// </summary>
    public sealed partial class DiagnosticBag
    {
        // ---------------- shapes (MC1004, MC1005, MC1016) ----------------

        /// <summary>A shape rule's own explanation; the IR's shape rules (MatMulNode.Create and the like) word them.</summary>
        public void ReportShapeMismatch(SourceSpan span, string explanation) =>
            Error(DiagnosticCatalog.ShapeMismatch, span, explanation);

        public void ReportBroadcastMismatch(SourceSpan span, string operation, Shape left, Shape right) =>
            Error(DiagnosticCatalog.ShapeMismatch, span,
                $"shape mismatch in {operation}: {left} and {right} do not broadcast (trailing dimensions must be equal or 1)");

        public void ReportNotAnImage(SourceSpan span, string layer, string kind, string input, Shape shape, string reshapeExample) =>
            Error(DiagnosticCatalog.ShapeMismatch, span,
                $"shape mismatch: {layer} ({kind}) acts on images [C, H, W], but {input} is {shape}; reshape it first, e.g. reshape({input}, {reshapeExample})");

        /// <param name="hint">a suggestion that starts with "; ", or empty</param>
        public void ReportNotASignal(SourceSpan span, string layer, string kind, string input, Shape shape, string hint) =>
            Error(DiagnosticCatalog.ShapeMismatch, span,
                $"shape mismatch: {layer} ({kind}) acts on signals [C, L] (channels first), but {input} is {shape}{hint}");

        public void ReportLayerInputMismatch(SourceSpan span, string layer, string expected, string input, Shape shape) =>
            Error(DiagnosticCatalog.LayerInputMismatch, span, $"shape mismatch: {layer} expects {expected} but {input} is {shape}");

        public void ReportEmbeddingVocabulary(SourceSpan span, string layer, int rows, string input, int classes) =>
            Error(DiagnosticCatalog.LayerInputMismatch, span, $"shape mismatch: {layer} has {rows} rows but {input} is int<{classes}>");

        public void ReportEmbeddingOfFloats(SourceSpan span, string layer, string input, Shape shape) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span,
                $"{layer} (embedding) acts on class ids (an int<N> or int<N>[T] input), but {input} is a float tensor {shape}");

        public void ReportReshapeMismatch(SourceSpan span, Shape from, IReadOnlyCollection<int> to) =>
            Error(DiagnosticCatalog.ReshapeMismatch, span,
                $"reshape cannot turn {from} ({from.Size} elements) into [{string.Join(", ", to)}] ({Shape.SizeOf(to)} elements)");

        // ---------------- sizes (MC1023) ----------------

        /// <summary>A size rule's own explanation (ModelCompiler's whole-model checks word them).</summary>
        public void ReportTooLarge(SourceSpan span, string explanation) =>
            Error(DiagnosticCatalog.TooLarge, span, explanation);

        public void ReportTensorTooLarge(SourceSpan span, string? name, Shape shape) =>
            Error(DiagnosticCatalog.TooLarge, span,
                $"{(name is null ? "a tensor" : $"'{name}'")} of shape {shape} has {Sizes.TooMany(shape.ElementCount, "elements")}");

        public void ReportScratchTooLarge(SourceSpan span, string operation, long scratch) =>
            Error(DiagnosticCatalog.TooLarge, span, $"this {operation} needs {Sizes.TooMany(scratch, "floats of scratch per example")}");

        public void ReportTooManyParameters(SourceSpan span, string model, long parameters) =>
            Error(DiagnosticCatalog.TooLarge, span, $"model '{model}' has {parameters} parameters; at most {Sizes.Limit} fit in one flat vector");

        /// <param name="layer">the layer's name, or how it was written (embedding(60000, 40000))</param>
        /// <param name="where">which matrix, e.g. "in one matrix", or empty</param>
        public void ReportTooManyWeights(SourceSpan span, string layer, string? kind = null, string where = "") =>
            Error(DiagnosticCatalog.TooLarge, span,
                $"{layer}{(kind is null ? "" : $" ({kind})")} has more than {int.MaxValue} weights{(where.Length == 0 ? "" : " " + where)}");

        public void ReportMaxoutTooLarge(SourceSpan span) =>
            Error(DiagnosticCatalog.TooLarge, span, "maxout(out, k) needs out·k units, which is too many");

        public void ReportTooManyValuesPerExample(SourceSpan span, string layer, string kind) =>
            Error(DiagnosticCatalog.TooLarge, span, $"{layer} ({kind}) makes more than {int.MaxValue} values per example");

        // ---------------- nesting and internal errors ----------------

        public void ReportStatementTooDeep(SourceSpan statement) =>
            Error(DiagnosticCatalog.NestingTooDeep, statement,
                "this statement nests expressions and blocks too deeply to compile on this thread's stack; split it with let statements or flatten the blocks");

        public void ReportExpressionTooDeep(SourceSpan span) =>
            Error(DiagnosticCatalog.NestingTooDeep, span, "expression nested too deeply to compile; split it with let statements");

        public void ReportBlocksTooDeep(SourceSpan span, string block, int maxDepth, string outermost) =>
            Error(DiagnosticCatalog.NestingTooDeep, span,
                $"blocks nested too deeply: '{block}' would be instance {maxDepth + 1} inside {outermost}, and blocks nest at most {maxDepth} deep");

        public void ReportInternalError(System.Exception exception) =>
            Error(DiagnosticCatalog.InternalError, SourceSpan.None, $"internal compiler error: {exception.GetType().Name}: {exception.Message}");
    }
}
