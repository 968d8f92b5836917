using System.Collections.Generic;
using ModelC.Compiler.Binding;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Diagnostics
{
    /// <summary>
    /// Mistakes in calls: what is called, its arguments, layers and their members, indexes, and the
    /// train block's settings.
    /// </summary>
    public sealed partial class DiagnosticBag
    {
        // ---------------- what can be called ----------------

        public void ReportNotCallable(SourceSpan span) =>
            Error(DiagnosticCatalog.UnknownFunction, span, "only functions and layers can be called");

        public void ReportValueCalled(SourceSpan span, string name) =>
            Error(DiagnosticCatalog.UnknownFunction, span, $"'{name}' is a value, not a function or layer; it cannot be called");

        public void ReportLayerKindCalled(SourceSpan span, string kind) =>
            Error(DiagnosticCatalog.UnknownFunction, span, $"'{kind}' is a layer kind; declare it first: layer l = {kind}(...); then call l(x)");

        public void ReportNotSupportedYet(SourceSpan span, string function) =>
            Error(DiagnosticCatalog.NotSupportedYet, span, $"'{function}' is not supported yet; it arrives with recurrent and generative models");

        public void ReportBlockMemberCalled(SourceSpan span, string written) =>
            Error(DiagnosticCatalog.NotSupportedYet, span,
                $"calling '{written}' (a layer inside a block) is not supported yet; call the block instance itself, or move the layer out of the block");

        // ---------------- layers ----------------

        public void ReportLayerWithoutKind(SourceSpan span) =>
            Error(DiagnosticCatalog.UnknownLayerKind, span, "a layer is declared with a layer kind: layer fc = dense(10);");

        public void ReportUnknownLayerKind(SourceSpan span, string kind, IEnumerable<string> candidates) =>
            Error(DiagnosticCatalog.UnknownLayerKind, span, $"unknown layer kind '{kind}'{this.DidYouMean(kind, candidates)}");

        public void ReportLayerNotCalled(SourceSpan span, string layer) =>
            Error(DiagnosticCatalog.LayerNotCalled, span,
                $"'{layer}' is a layer; call it on a value, e.g. {layer}(x), or use one of its parameters, e.g. {layer}.weight");

        public void ReportLayerTakesOneInput(SourceSpan span, string layer) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span, $"layer '{layer}' takes one input: {layer}(x)");

        /// <param name="callForm">how the layer is called, e.g. "rnn1(seq) or rnn1(seq, h0)"</param>
        public void ReportRecurrentLayerInputs(SourceSpan span, string layer, string callForm) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span, $"layer '{layer}' takes a sequence and, optionally, its initial state: {callForm}");

        // ---------------- members ----------------

        public void ReportMemberOfValue(SourceSpan span) =>
            Error(DiagnosticCatalog.UnknownMember, span, "member access works on layers: fc1.weight");

        public void ReportMemberOfNonLayer(SourceSpan span, string target, string member) =>
            Error(DiagnosticCatalog.UnknownMember, span, $"'{target}' is not a layer, so it has no member '{member}'");

        public void ReportParameterBeforeFirstCall(SourceSpan span, string layer, string member) =>
            Error(DiagnosticCatalog.UnknownMember, span,
                $"'{layer}.{member}' does not exist yet: a layer's parameters are created by its first call, so call {layer}(...) before this line");

        public void ReportUnknownParameter(SourceSpan span, string layer, string member, IEnumerable<string> members) =>
            Error(DiagnosticCatalog.UnknownMember, span, $"layer '{layer}' has no parameter '{member}'{this.DidYouMean(member, members)}");

        // ---------------- arguments ----------------

        public void ReportPositionalAfterNamed(SourceSpan span, string function) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span,
                $"positional argument after a named one in '{function}'; write positional arguments first");

        public void ReportTooManyArguments(SourceSpan span, string function, int most, string usage) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span, $"'{function}' takes at most {most} argument{(most == 1 ? "" : "s")}: {usage}");

        public void ReportUnknownArgument(SourceSpan span, string function, string argument, IEnumerable<string> arguments, string usage) =>
            Error(DiagnosticCatalog.UnknownArgument, span,
                $"'{function}' has no argument named '{argument}'{this.DidYouMean(argument, arguments)} (usage: {usage})");

        public void ReportArgumentGivenTwice(SourceSpan span, string argument, string function) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span, $"argument '{argument}' of '{function}' is given twice");

        public void ReportMissingArgument(SourceSpan span, string function, string argument, string usage) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span, $"'{function}' needs argument '{argument}': {usage}");

        public void ReportLearnedMask(SourceSpan span, string mask, string parameter) =>
            Error(DiagnosticCatalog.LearnedMask, span,
                $"the mask of masked_fill passes no gradient, but {mask} depends on parameter '{parameter}', which would never learn; use a mask from an input or causal_mask, or x * mask for a learned gate");

        public void ReportNumberArgumentIsTensor(SourceSpan span, string argument, string function) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, $"argument '{argument}' of '{function}' must be a number written in the model, not a tensor");

        public void ReportFlagArgument(SourceSpan span, string argument, string function) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, $"argument '{argument}' of '{function}' must be true or false");

        public void ReportWordArgument(SourceSpan span, string argument, string function, IEnumerable<string> allowed) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, $"argument '{argument}' of '{function}' must be one of: {string.Join(", ", allowed)}");

        public void ReportUnknownInitializer(SourceSpan span, string name, IEnumerable<string> known) =>
            Error(DiagnosticCatalog.UnknownFunction, span,
                $"unknown initializer '{name}'{this.DidYouMean(name, known)}; use zeros, ones, xavier, he, normal(std), normal(mean, std) or uniform(low, high)");

        public void ReportListOutsideShape(SourceSpan span) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, "a list like [2, 3] is only allowed as a shape, e.g. reshape(x, [2, 3])");

        public void ReportConcatNeedsTwo(SourceSpan span) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span, "concat needs at least two tensors: concat(a, b, axis: 0)");

        public void ReportReshapeShapeNotAList(SourceSpan span) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, "reshape's shape is a list of sizes: reshape(x, [7, 7])");

        public void ReportRegularizerWithoutTensors(SourceSpan span, string regularizer) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span,
                $"{regularizer} needs the tensors to regularize: {regularizer}(fc1.weight) or {regularizer}(params)");

        // ---------------- axes and indexes ----------------

        public void ReportAxisNotWhole(SourceSpan span, string written) =>
            Error(DiagnosticCatalog.InvalidAxis, span, $"axis must be a whole number, but got {written}");

        public void ReportIndexOutOfRange(SourceSpan span, string written, Ir.Shape shape, int rows) =>
            Error(DiagnosticCatalog.InvalidAxis, span,
                $"index {written} is out of range for the first axis of {shape} (0 to {rows - 1}, or negative from the end)");

        public void ReportIndexKind(SourceSpan span, string written) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span,
                $"an index is class ids (an int<N> input, as in U[u]) or a whole number written in the model (seq[3]), not '{written}'");

        // ---------------- the train block ----------------

        public void ReportUnknownTrainSetting(SourceSpan span, string setting, IReadOnlyCollection<string> settings) =>
            Error(DiagnosticCatalog.UnknownTrainSetting, span,
                $"unknown train setting '{setting}'{this.DidYouMean(setting, settings)} (known: {string.Join(", ", settings)})");

        public void ReportTrainSettingNotANumber(SourceSpan span, string setting) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, $"'{setting}' must be a number");

        public void ReportEarlyStoppingForm(SourceSpan span) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, "write early_stopping(patience: 3) or early_stopping(patience: 3, metric: val_loss)");

        public void ReportEarlyStoppingMetricNotAName(SourceSpan span) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, "early_stopping's metric is a name, such as val_loss or val_accuracy");

        /// <param name="what">"optimizer" or "schedule"</param>
        public void ReportTrainCallForm(SourceSpan span, string setting, string what) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, $"write {setting} = {what}(...);");

        public void ReportTrainSettingNotAName(SourceSpan span, string setting, string what, string known) =>
            Error(DiagnosticCatalog.WrongArgumentKind, span, $"'{setting}' must name a {what}: {known}");

        public void ReportUnknownTrainCall(SourceSpan span, string what, string name, IEnumerable<string> candidates, string known) =>
            Error(DiagnosticCatalog.UnknownFunction, span, $"unknown {what} '{name}'{this.DidYouMean(name, candidates)} (known: {known})");

        public void ReportMissingTrainArgument(SourceSpan span, string what, string name, string argument, string usage) =>
            Error(DiagnosticCatalog.WrongArgumentCount, span, $"{what} '{name}' needs argument '{argument}': {usage}");
    }
}
