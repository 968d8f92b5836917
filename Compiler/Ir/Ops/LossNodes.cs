using System.Collections.Generic;
using System.Globalization;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>What a class-id loss reads: raw logits (cross_entropy) or log-probabilities (nll_loss).</summary>
    public enum ClassLossInput { Logits, LogProbabilities }

    /// <summary>
    /// A loss on a class-id target, one row of scores per step (scores [T, C], y int&lt;C&gt;[T]; one
    /// step for int&lt;C&gt;), as PyTorch's cross_entropy and nll_loss define it:
    /// - cross_entropy: log(sum exp(z)) - z[y], computed with the row maximum shifted out; its
    ///   gradient is softmax(z) - onehot(y). With label smoothing e the target is the mixture
    ///   (1 - e) onehot(y) + e / C, so the loss is lse - (1 - e) z[y] - (e / C) sum z.
    /// - nll_loss: -x[y] on log-probabilities x; its gradient is -onehot(y).
    /// Steps are averaged (or summed with reduce: sum). With ignore_index, rows whose label is that
    /// value add nothing, and the mean runs over the non-ignored rows of the whole batch, as in
    /// PyTorch: each example's sum is scaled by batch / (non-ignored rows in the batch), so the
    /// batch mean that follows is the sum over those rows divided by their count (0 when none).
    /// </summary>
    public sealed class ClassLossNode : Node
    {
        public ClassLossNode(ClassLossInput input, Node scores, DataNode target, SourceSpan span,
            bool sumOverSteps = false, int? ignoreIndex = null, double labelSmoothing = 0)
            : base(Shape.Scalar, true, new Node[] { scores, target }, span)
        {
            Input = input;
            SumOverSteps = sumOverSteps;
            IgnoreIndex = ignoreIndex;
            LabelSmoothing = labelSmoothing;
        }

        public ClassLossInput Input { get; }
        public Node Scores => Inputs[0];
        public DataNode Target => (DataNode)Inputs[1];
        public bool SumOverSteps { get; }
        /// <summary>The label whose rows are skipped; null when every row counts.</summary>
        public int? IgnoreIndex { get; }
        public double LabelSmoothing { get; }
        /// <summary>True when the ignored label is outside [0, C): padding that is no class id.</summary>
        public bool IgnoresNonClass => IgnoreIndex is int i && (i < 0 || i >= Target.Classes);
        private int Classes => Scores.Shape.Last;
        private int Steps => Scores.Shape.Size / Classes;
        private string Name => Input == ClassLossInput.Logits ? "cross_entropy" : "nll_loss";
        /// <summary>The mean over the batch's non-ignored rows needs a count over the whole batch first.</summary>
        private bool CountsRows => IgnoreIndex is not null && !SumOverSteps;

        public override string Describe()
        {
            var options = new List<string>();
            if (Steps > 1) options.Add($"{(SumOverSteps ? "sum" : "mean")} over {Steps} steps");
            if (IgnoreIndex is int ignored) options.Add($"ignore_index {ignored.ToString(CultureInfo.InvariantCulture)}");
            if (LabelSmoothing != 0) options.Add($"label_smoothing {LabelSmoothing.ToString(CultureInfo.InvariantCulture)}");
            return options.Count == 0 ? Name : $"{Name} ({string.Join(", ", options)})";
        }

        // One step reads its scores at r * Classes + k; a single step keeps the plain form.
        private string Score(string k) => Steps == 1 ? k : $"r * {Classes} + {k}";
        private string Label => Steps == 1 ? "0" : "r";
        private string PerStep => Steps == 1 || SumOverSteps || CountsRows ? "" : $" / {Steps}";
        private string Scaled => CountsRows ? " * rowScale" : PerStep;

        // Per step of cross_entropy: exp(logit - max) of every class, then their sum, kept for the
        // backward pass, which then needs no exp of its own. nll_loss keeps nothing.
        public override long ScratchSize => Input == ClassLossInput.Logits ? Sizes.Product(Steps, (long)Classes + 1) : 0;
        private string Saved(string k) => Steps == 1 ? k : $"r * {Classes + 1} + {k}";
        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>rowScale = batch / (rows whose label is not ignored), 0 when there are none.</summary>
        private void EmitRowScale(EmitContext c)
        {
            c.Line("int counted = 0;");
            using (c.Block("for (int b = 0; b < batch; b++)"))
            {
                if (Steps == 1) c.Line($"if ({c.Value(Target, "0")} != {Int(IgnoreIndex!.Value)}) counted++;");
                else c.Line($"for (int r = 0; r < {Steps}; r++) if ({c.Value(Target, "r")} != {Int(IgnoreIndex!.Value)}) counted++;");
            }
            c.Line("float rowScale = counted == 0 ? 0f : (float)batch / counted;");
        }

        private void EmitSkipIgnored(EmitContext c, string label)
        {
            if (IgnoreIndex is int ignored) c.Line($"if ({label} == {Int(ignored)}) continue;");
        }

        private void EmitLogSumExp(EmitContext c)
        {
            c.Line("float max = float.NegativeInfinity;");
            c.Line($"for (int k = 0; k < {Classes}; k++) max = global::System.MathF.Max(max, {c.Value(Scores, Score("k"))});");
            c.Line("float sum = 0f;");
            using (c.Block($"for (int k = 0; k < {Classes}; k++)"))
            {
                c.Line($"float e = global::System.MathF.Exp({c.Value(Scores, Score("k"))} - max);");
                c.Line($"{c.Scratch(this, Saved("k"))} = e;");
                c.Line("sum += e;");
            }
            c.Line($"{c.Scratch(this, Saved(Int(Classes)))} = sum;");
        }

        /// <summary>The loss of one row, with max, sum and label in scope for cross_entropy.</summary>
        private string RowLoss(EmitContext c, string label)
        {
            if (Input == ClassLossInput.LogProbabilities) return $"-{c.Value(Scores, Score(label))}";
            if (LabelSmoothing == 0) return $"max + global::System.MathF.Log(sum) - {c.Value(Scores, Score(label))}";
            return $"max + global::System.MathF.Log(sum) - {EmitContext.Literal(1 - LabelSmoothing)} * {c.Value(Scores, Score(label))}"
                 + $" - {EmitContext.Literal(LabelSmoothing / Classes)} * scoreSum";
        }

        private void EmitRow(EmitContext c, string label)
        {
            if (Input == ClassLossInput.Logits) EmitLogSumExp(c);
            if (Input == ClassLossInput.Logits && LabelSmoothing != 0)
            {
                c.Line("float scoreSum = 0f;");
                c.Line($"for (int k = 0; k < {Classes}; k++) scoreSum += {c.Value(Scores, Score("k"))};");
            }
        }

        // Plain cross_entropy averaged over steps goes to Runtime's LossKernels, which do what the
        // loops below do, in the same order, over examples shared across the kernel threads.
        private const string LossKernels = "global::ModelC.Runtime.Kernels.LossKernels";

        private bool UsesKernel =>
            Input == ClassLossInput.Logits && IgnoreIndex is null && LabelSmoothing == 0 && !SumOverSteps && Steps > 1
            && IsBatched && Scores.Storage == StorageKind.Batched && Target.Storage == StorageKind.Int && Target.IsBatched;

        public override void EmitForward(EmitContext c)
        {
            if (UsesKernel)
            {
                c.Line($"{LossKernels}.CrossEntropy({c.Region(Scores)}, {c.IntRegion(Target)}, {c.ScratchRegion(this)}, {c.Region(this)}, batch, {Int(Steps)}, {Int(Classes)});");
                return;
            }
            if (CountsRows) EmitRowScale(c);
            using (c.BatchLoop(this))
            {
                if (Steps == 1 && IgnoreIndex is null)
                {
                    EmitRow(c, c.Value(Target, "0"));
                    c.Line($"{c.Value(this, "0")} = {RowLoss(c, c.Value(Target, "0"))};");
                    return;
                }
                c.Line("float total = 0f;");
                using (c.Block($"for (int r = 0; r < {Steps}; r++)"))
                {
                    c.Line($"int label = {c.Value(Target, Label)};");
                    EmitSkipIgnored(c, "label");
                    EmitRow(c, "label");
                    c.Line($"total += {RowLoss(c, "label")};");
                }
                c.Line($"{c.Value(this, "0")} = total{Scaled};");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(Scores)) return;
            if (UsesKernel)
            {
                c.Line($"{LossKernels}.CrossEntropyBackward({c.ScratchRegion(this)}, {c.IntRegion(Target)}, {c.Region(this, gradient: true)}, {c.Region(Scores, gradient: true)}, batch, {Int(Steps)}, {Int(Classes)});");
                return;
            }
            if (CountsRows) EmitRowScale(c);
            using (c.BatchLoop(this))
            {
                c.Line($"float g = {c.Gradient(this, "0")}{Scaled};");
                using (Steps == 1 && IgnoreIndex is null ? (SourceWriter.Scope?)null : c.Block($"for (int r = 0; r < {Steps}; r++)"))
                {
                    c.Line($"int label = {c.Value(Target, Label)};");
                    EmitSkipIgnored(c, "label");
                    if (Input == ClassLossInput.LogProbabilities)
                    {
                        c.Line($"{c.Gradient(Scores, Score("label"))} -= g;");
                    }
                    else
                    {
                        // g (softmax - target), softmax from the exps the forward pass saved
                        c.Line($"float sum = {c.Scratch(this, Saved(Int(Classes)))};");
                        string target = LabelSmoothing == 0 ? "(k == label ? 1f : 0f)"
                            : $"(k == label ? {EmitContext.Literal(1 - LabelSmoothing + LabelSmoothing / Classes)} : {EmitContext.Literal(LabelSmoothing / Classes)})";
                        c.Line($"for (int k = 0; k < {Classes}; k++) {c.Gradient(Scores, Score("k"))} += g * ({c.Scratch(this, Saved("k"))} / sum - {target});");
                    }
                }
            }
        }
    }

    /// <summary>The batch loss: the mean over the batch of a per-example scalar.</summary>
    public sealed class BatchMeanNode : Node
    {
        public BatchMeanNode(Node x, SourceSpan span) : base(Shape.Scalar, false, new[] { x }, span) { }

        public Node X => Inputs[0];
        public override string Describe() => "mean over the batch";

        public override void EmitForward(EmitContext c)
        {
            c.Line("float total = 0f;");
            c.Line($"for (int b = 0; b < batch; b++) total += {c.Value(X, "0")};");
            c.Line($"{c.Value(this, "0")} = total / batch;");
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            c.Line($"for (int b = 0; b < batch; b++) {c.Gradient(X, "0")} += {c.Gradient(this, "0")} / batch;");
        }
    }

    /// <summary>
    /// Inverted dropout: in training each element is kept with probability 1-p and scaled by
    /// 1/(1-p), so inference is the identity. The mask is kept for the backward pass.
    /// </summary>
    public sealed class DropoutNode : Node
    {
        public DropoutNode(Node x, double probability, SourceSpan span) : base(x.Shape, x.IsBatched, new[] { x }, span)
        {
            Probability = probability;
        }

        public double Probability { get; }
        public Node X => Inputs[0];
        public override long ScratchSize => Shape.ElementCount;
        public override string Describe() => $"dropout({Probability.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

        public override void EmitForward(EmitContext c)
        {
            // Inference is the identity: one copy, and no mask (Backward needs a training pass first).
            // Training draws the masks in the loop's order, so the random sequence is the same.
            if (IsBatched && c.Region(X) is string x && c.Region(this) is string y)
            {
                c.Line($"if (!training) {x}.CopyTo({y});");
                c.Line($"else global::ModelC.Runtime.Kernels.DropoutKernels.Forward(_random, {EmitContext.Literal(Probability)}, {EmitContext.Literal(1.0 / (1.0 - Probability))}, {x}, {c.ScratchRegion(this)}, {y});");
            }
            else
            {
                EmitMasks(c, $"!training ? 1f : _random.NextFloat() < {EmitContext.Literal(Probability)} ? 0f : {EmitContext.Literal(1.0 / (1.0 - Probability))}");
            }
        }

        private void EmitMasks(EmitContext c, string mask)
        {
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {Shape.Size}; i++)"))
            {
                c.Line($"float mask = {mask};");
                c.Line($"{c.Scratch(this, "i")} = mask;");
                c.Line($"{c.Value(this, "i")} = {c.Value(X, "i")} * mask;");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            using (c.BatchLoop(this))
                c.Line($"for (int i = 0; i < {Shape.Size}; i++) {c.Gradient(X, "i")} += {c.Gradient(this, "i")} * {c.Scratch(this, "i")};");
        }
    }
}
