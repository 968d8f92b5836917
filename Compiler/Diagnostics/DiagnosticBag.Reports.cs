using System.Collections.Generic;
using System.Globalization;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Diagnostics
{
    /// <summary>
    /// One Report method per mistake that a value can make (the Minsk way): the code and the
    /// wording live here, next to the catalog, and the binder only says what it found.
    /// </summary>
    public sealed partial class DiagnosticBag
    {
        // ---------------- MC1014: a number outside the range its argument accepts ----------------

        public void ReportDropoutProbability(SourceSpan span, double p) =>
            Error(DiagnosticCatalog.ArgumentOutOfRange, span, $"dropout probability must be in [0, 1), but got {p}");

        public void ReportHuberDelta(SourceSpan span, double delta) =>
            Error(DiagnosticCatalog.ArgumentOutOfRange, span, $"huber's delta must be positive, but got {delta}");

        public void ReportIgnoreIndexNotWhole(SourceSpan span, string loss, string written) =>
            Error(DiagnosticCatalog.ArgumentOutOfRange, span,
                $"ignore_index of {loss} must be a whole number (a class id, or a padding value such as -1), but got {written}");

        public void ReportLabelSmoothing(SourceSpan span, string loss, string written) =>
            Error(DiagnosticCatalog.ArgumentOutOfRange, span, $"label_smoothing of {loss} must be in [0, 1], but got {written}");

        public void ReportNegativeStandardDeviation(SourceSpan span, double std) =>
            Error(DiagnosticCatalog.ArgumentOutOfRange, span, $"a standard deviation cannot be negative, but got {std}");

        public void ReportNotACount(SourceSpan span, string argument, string function, int minimum, string written) =>
            Error(DiagnosticCatalog.ArgumentOutOfRange, span,
                $"argument '{argument}' of '{function}' must be a whole number from {minimum} to {int.MaxValue}, but got {written}");

        public void ReportPaddingNotWhole(SourceSpan span, double value) =>
            Error(DiagnosticCatalog.ArgumentOutOfRange, span,
                $"padding must be a whole number of zeros (0 or more) or same, but got {value.ToString(CultureInfo.InvariantCulture)}");

        public void ReportReshapeSize(SourceSpan span) =>
            Error(DiagnosticCatalog.ArgumentOutOfRange, span,
                "each size in reshape's shape must be a whole number of at least 1 (or one -1 to infer it)");

        // ---------------- MC1006, MC1008, MC1009: axes of transpose and permute ----------------

        public void ReportTransposeNeedsTwoAxes(SourceSpan span) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span,
                "transpose swaps two axes, so it needs both: transpose(x, -2, -1); or give every axis in a list: transpose(x, [1, 0, 2])");

        public void ReportPermutationNotAList(SourceSpan span, string function) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, $"{function} takes the new order of the axes as a list: {function}(x, [1, 0, 2])");

        public void ReportPermutationAxis(SourceSpan span, string written, string shape) =>
            Error(DiagnosticCatalog.InvalidAxis, span,
                $"axis {written} is out of range for a tensor of shape {shape} (axes count within one example, from 0; negative from the end)");

        public void ReportNotAPermutation(SourceSpan span, string written, string shape) =>
            Error(DiagnosticCatalog.InvalidAxis, span, $"{written} is not an order of the axes of {shape}: it must name each of its axes once");

        // ---------------- MC1026: arguments that are fine alone but not together ----------------

        public void ReportClampBounds(SourceSpan span, double lo, double hi) =>
            Error(DiagnosticCatalog.ConflictingArguments, span, $"clamp(x, lo, hi) needs lo <= hi, but got {lo} and {hi}");

        public void ReportTransposeListAndAxis(SourceSpan span) =>
            Error(DiagnosticCatalog.ConflictingArguments, span,
                "transpose takes either a list of every axis, transpose(x, [1, 0, 2]), or two axes to swap, transpose(x, 0, 1), not both");

        public void ReportUniformBounds(SourceSpan span, double lo, double hi) =>
            Error(DiagnosticCatalog.ConflictingArguments, span, $"uniform(low, high) needs low < high, but got {lo} and {hi}");

        public void ReportSamePaddingWithStride(SourceSpan span, int stride) =>
            Error(DiagnosticCatalog.ConflictingArguments, span,
                $"padding: same needs stride 1 (as in PyTorch), but stride is {stride}; give the padding as a number");

        public void ReportBiasInitWithoutBias(SourceSpan span, string layerKind) =>
            Error(DiagnosticCatalog.ConflictingArguments, span,
                $"'{layerKind}' has bias: false, so bias_init: has no bias to initialize; drop one of them");

        public void ReportOutputPaddingNotBelowStride(SourceSpan span, int outputPadding, int stride) =>
            Error(DiagnosticCatalog.ConflictingArguments, span,
                $"output_padding must be smaller than the stride ({stride}), as in PyTorch, but got {outputPadding}");

        public void ReportTransposedPaddingNotBelowKernel(SourceSpan span, int padding, int kernel) =>
            Error(DiagnosticCatalog.ConflictingArguments, span,
                $"padding of conv_transpose2d must be smaller than the kernel ({kernel}), but got {padding}");

        // ---------------- MC1027, MC1028: train block values ----------------

        public void ReportValidationFraction(SourceSpan span, double fraction) =>
            Error(DiagnosticCatalog.TrainSettingOutOfRange, span,
                $"validation is the fraction held out, between 0 and 1 (exclusive), but got {fraction}");

        public void ReportSettingNotPositive(SourceSpan span, string setting, double value) =>
            Error(DiagnosticCatalog.TrainSettingOutOfRange, span, $"'{setting}' must be positive, but got {value}");

        public void ReportSettingNotWhole(SourceSpan span, string setting, int minimum, double value) =>
            Error(DiagnosticCatalog.TrainSettingOutOfRange, span, $"'{setting}' must be a whole number of at least {minimum}, but got {value}");

        /// <param name="what">"optimizer" or "schedule"</param>
        /// <param name="range">the accepted values in words ("positive", "in [0, 1)")</param>
        public void ReportTrainArgumentOutOfRange(SourceSpan span, string argument, string what, string name, string range, string written) =>
            Error(DiagnosticCatalog.TrainSettingOutOfRange, span,
                $"argument '{argument}' of {what} '{name}' must be {range}, but got {written}");

        public void ReportUnknownMetric(SourceSpan span, string known, string metric) =>
            Error(DiagnosticCatalog.UnknownMetric, span, $"early_stopping monitors {known}, not '{metric}'");

        // ---------------- MC1029 to MC1033: what a model may compute ----------------

        public void ReportRecursiveBlock(SourceSpan span, string block, IEnumerable<string> path) =>
            Error(DiagnosticCatalog.RecursiveBlock, span,
                $"block '{block}' contains itself ({string.Join(" -> ", path)}); blocks may nest but not recurse");

        public void ReportOutputNotPerExample(SourceSpan span, string output) =>
            Error(DiagnosticCatalog.NotPerExample, span, $"output '{output}' does not depend on any input; outputs are computed per example");

        public void ReportDropoutOfParameters(SourceSpan span) =>
            Error(DiagnosticCatalog.NotPerExample, span, "dropout acts on per-example values, not on parameters");

        public void ReportRecurrentDropoutOfParameters(SourceSpan span, string layer, string input) =>
            Error(DiagnosticCatalog.NotPerExample, span,
                $"dropout between the layers of {layer} acts on per-example values, but {input} is the same for every example (a parameter or constant)");

        public void ReportInitialStateNotPerExample(SourceSpan span, string layer, string state) =>
            Error(DiagnosticCatalog.NotPerExample, span,
                $"the initial state {state} of {layer} must be per example (an input, or computed from one), not the same for every example");

        public void ReportInitialStateShape(SourceSpan span, string layer, string kind, string state, string shape, string expected, string? alternative) =>
            Error(DiagnosticCatalog.ShapeMismatch, span,
                $"shape mismatch: the initial state of {layer} ({kind}) is [layers · directions, hidden] = {expected}{(alternative is null ? "" : $" (or {alternative})")}, but {state} is {shape}");

        public void ReportNotRecurrentOutput(SourceSpan span, string function, string argument, string why) =>
            Error(DiagnosticCatalog.NotRecurrentOutput, span, $"{function}({argument}): {why}");

        public void ReportDropoutWithOneLayer(SourceSpan span, string kind, double p) =>
            Warning(DiagnosticCatalog.DropoutWithOneLayer, span,
                $"dropout: {p.ToString(System.Globalization.CultureInfo.InvariantCulture)} does nothing on a one-layer {kind}: it acts on the outputs of every stacked layer but the last (add layers: 2 or more, or use dropout(x, p) on the output)");

        public void ReportConstantLoss(SourceSpan span) =>
            Error(DiagnosticCatalog.ConstantLoss, span, "the loss is a constant, so it has no gradient; it must depend on the model");

        public void ReportNllLossOfFloats(SourceSpan span, string target, string shape) =>
            Error(DiagnosticCatalog.ClassIdsRequired, span,
                $"nll_loss needs a class-id target (int<N>), but '{target}' is float {shape}; for soft targets use cross_entropy(logits, y)");

        public void ReportIgnoreIndexOfFloats(SourceSpan span) =>
            Error(DiagnosticCatalog.ClassIdsRequired, span,
                "ignore_index needs a class-id target (int<N>); with a float target, give the ignored rows zero probabilities instead");

        public void ReportNllLossOfSoftmax(SourceSpan span) =>
            Warning(DiagnosticCatalog.NotLogProbabilities, span,
                "nll_loss takes log-probabilities, but this is softmax(...); use log_softmax(...), or cross_entropy on the logits");
    }
}
