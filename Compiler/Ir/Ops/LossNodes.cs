using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// cross_entropy(logits, y) for a class-id target: log(sum exp(logits)) - logits[y], computed
    /// with the row maximum shifted out. Its gradient is softmax(logits) - onehot(y). Over a time
    /// axis (logits [T, V], y int&lt;V&gt;[T]) it is the mean over the T steps, or their sum with reduce: sum.
    /// </summary>
    public sealed class CrossEntropyNode : Node
    {
        public CrossEntropyNode(Node logits, DataNode target, SourceSpan span, bool sumOverSteps = false)
            : base(Shape.Scalar, true, new Node[] { logits, target }, span)
        {
            SumOverSteps = sumOverSteps;
        }

        public Node Logits => Inputs[0];
        public Node Target => Inputs[1];
        public bool SumOverSteps { get; }
        private int Classes => Logits.Shape.Last;
        private int Steps => Logits.Shape.Size / Classes;

        public override string Describe() => Steps == 1 ? "cross_entropy" : $"cross_entropy over {Steps} steps ({(SumOverSteps ? "sum" : "mean")})";

        // One step reads its logits at r * Classes + k; a single step keeps the plain form.
        private string Logit(string k) => Steps == 1 ? k : $"r * {Classes} + {k}";
        private string Label => Steps == 1 ? "0" : "r";
        private string PerStep => Steps == 1 || SumOverSteps ? "" : $" / {Steps}";

        // Per step: exp(logit - max) of every class, then their sum, kept for the backward pass,
        // which then needs no exp of its own: the softmax and its gradient come from one computation.
        public override int ScratchSize => Steps * (Classes + 1);
        private string Saved(string k) => Steps == 1 ? k : $"r * {Classes + 1} + {k}";

        private void EmitLogSumExp(EmitContext c)
        {
            c.Line("float max = float.NegativeInfinity;");
            c.Line($"for (int k = 0; k < {Classes}; k++) max = global::System.MathF.Max(max, {c.Value(Logits, Logit("k"))});");
            c.Line("float sum = 0f;");
            using (c.Block($"for (int k = 0; k < {Classes}; k++)"))
            {
                c.Line($"float e = global::System.MathF.Exp({c.Value(Logits, Logit("k"))} - max);");
                c.Line($"{c.Scratch(this, Saved("k"))} = e;");
                c.Line("sum += e;");
            }
            c.Line($"{c.Scratch(this, Saved(Classes.ToString(System.Globalization.CultureInfo.InvariantCulture)))} = sum;");
        }

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            {
                if (Steps == 1)
                {
                    EmitLogSumExp(c);
                    c.Line($"{c.Value(this, "0")} = max + global::System.MathF.Log(sum) - {c.Value(Logits, c.Value(Target, "0"))};");
                    return;
                }
                c.Line("float total = 0f;");
                using (c.Block($"for (int r = 0; r < {Steps}; r++)"))
                {
                    EmitLogSumExp(c);
                    c.Line($"total += max + global::System.MathF.Log(sum) - {c.Value(Logits, Logit(c.Value(Target, Label)))};");
                }
                c.Line($"{c.Value(this, "0")} = total{PerStep};");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(Logits)) return;
            using (c.BatchLoop(this))
            {
                c.Line($"float g = {c.Gradient(this, "0")}{PerStep};");
                using (Steps == 1 ? (SourceWriter.Scope?)null : c.Block($"for (int r = 0; r < {Steps}; r++)"))
                {
                    // g (softmax - onehot), softmax from the exps the forward pass saved
                    c.Line($"int label = {c.Value(Target, Label)};");
                    c.Line($"float sum = {c.Scratch(this, Saved(Classes.ToString(System.Globalization.CultureInfo.InvariantCulture)))};");
                    c.Line($"for (int k = 0; k < {Classes}; k++) {c.Gradient(Logits, Logit("k"))} += g * ({c.Scratch(this, Saved("k"))} / sum - (k == label ? 1f : 0f));");
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
        public override int ScratchSize => Shape.Size;
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
