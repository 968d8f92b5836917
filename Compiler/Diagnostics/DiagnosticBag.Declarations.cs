using System.Collections.Generic;
using ModelC.Compiler.Binding;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Diagnostics
{
    /// <summary>
    /// Mistakes in what a file declares: models, blocks, names and their order, outputs and the loss.
    /// </summary>
    public sealed partial class DiagnosticBag
    {
        // ---------------- models and blocks ----------------

        public void ReportDuplicateModel(SourceSpan span, string model) =>
            Error(DiagnosticCatalog.DuplicateModel, span, $"model '{model}' is declared twice in this file");

        public void ReportDuplicateBlock(SourceSpan span, string block, int firstLine) =>
            Error(DiagnosticCatalog.DuplicateName, span, $"block '{block}' is already declared at line {firstLine}");

        public void ReportNoInput(SourceSpan span, string model) =>
            Error(DiagnosticCatalog.MissingDeclaration, span, $"model '{model}' has no input; declare one: input x : float[4];");

        public void ReportNoOutputOrLoss(SourceSpan span, string model) =>
            Error(DiagnosticCatalog.MissingDeclaration, span, $"model '{model}' has no output and no loss; declare at least one");

        public void ReportBlockWithoutReturn(SourceSpan span, string block) =>
            Error(DiagnosticCatalog.MissingDeclaration, span, $"block '{block}' has no return in its forward; end it with return <value>;");

        public void ReportBlockForwardParameters(SourceSpan span, string block, int parameters) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span,
                $"block '{block}' is called like a layer, on one input, so its forward takes one parameter: forward(x), not {parameters}");

        public void ReportUnusedLayer(SourceSpan span, string layer) =>
            Warning(DiagnosticCatalog.UnusedLayer, span, $"layer '{layer}' is never called, so it has no parameters");

        // ---------------- names ----------------

        public void ReportDuplicateName(SourceSpan span, string name, int firstLine) =>
            Error(DiagnosticCatalog.DuplicateName, span, $"'{name}' is already declared at line {firstLine}; names must be unique in a model");

        public void ReportDuplicateBlockMember(SourceSpan span, string member, string block) =>
            Error(DiagnosticCatalog.DuplicateName, span, $"'{member}' is declared twice in block '{block}'");

        public void ReportUsedBeforeDefinition(SourceSpan span, string name, int definitionLine) =>
            Error(DiagnosticCatalog.UsedBeforeDefinition, span, $"'{name}' is used before its definition at line {definitionLine}");

        public void ReportUnknownName(SourceSpan span, string name, IEnumerable<string> candidates) =>
            Error(DiagnosticCatalog.UnknownName, span, $"unknown name '{name}'{this.DidYouMean(name, candidates)}");

        public void ReportUnknownFunction(SourceSpan span, string name, IEnumerable<string> candidates) =>
            Error(DiagnosticCatalog.UnknownFunction, span, $"unknown function '{name}'{this.DidYouMean(name, candidates)}");

        // ---------------- types and dimensions ----------------

        public void ReportDimension(SourceSpan span, string written) =>
            Error(DiagnosticCatalog.NumberOutOfRange, span, $"dimension '{written}' must be a whole number from 1 to {int.MaxValue}");

        public void ReportIntegerParameter(SourceSpan span) =>
            Error(DiagnosticCatalog.IntegerMisuse, span, "parameters are float tensors; write float[...]");

        public void ReportClassIdsAsNumbers(SourceSpan span, string written, int classes) =>
            Error(DiagnosticCatalog.IntegerMisuse, span,
                $"'{written}' holds class ids (int<{classes}>), not numbers; use it as the target of cross_entropy");

        public void ReportPaddingLabelReused(SourceSpan span, string? data, int? ignoreIndex, int lossLine, int classes) =>
            Error(DiagnosticCatalog.IntegerMisuse, span,
                $"'{data}' may hold {ignoreIndex} (the ignore_index of the loss at line {lossLine}), which is not a class id of int<{classes}>, so it cannot also be used here");

        // ---------------- outputs and the loss ----------------

        public void ReportOutputHoldsClassIds(SourceSpan span, string output) =>
            Error(DiagnosticCatalog.IntegerMisuse, span, $"output '{output}' must be a float tensor, but it holds class ids");

        public void ReportOutputDependsOnTarget(SourceSpan span, string output, string? target) =>
            Error(DiagnosticCatalog.OutputDependsOnTarget, span,
                $"output '{output}' depends on target '{target}'; outputs are computed from inputs alone (use the target in the loss)");

        public void ReportDuplicateLoss(SourceSpan span, string model) =>
            Error(DiagnosticCatalog.DuplicateLoss, span, $"model '{model}' declares a loss twice; combine them in one expression: loss = a + b;");

        public void ReportLossNotScalar(SourceSpan span, Ir.Shape shape) =>
            Error(DiagnosticCatalog.LossNotScalar, span,
                $"the loss must be one number per example, but this expression is {shape}; reduce it, e.g. mean(...) or sum(...)");
    }
}
