using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// cross_entropy(logits, y) for a class-id target: log(sum exp(logits)) - logits[y], computed
    /// with the row maximum shifted out. Its gradient is softmax(logits) - onehot(y).
    /// </summary>
    public sealed class CrossEntropyNode : Node
    {
        public CrossEntropyNode(Node logits, DataNode target, SourceSpan span)
            : base(Shape.Scalar, true, new Node[] { logits, target }, span) { }

        public Node Logits => Inputs[0];
        public Node Target => Inputs[1];
        private int Classes => Logits.Shape.Last;

        public override string Describe() => "cross_entropy";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            {
                c.Line("float max = float.NegativeInfinity;");
                c.Line($"for (int k = 0; k < {Classes}; k++) max = global::System.MathF.Max(max, {c.Value(Logits, "k")});");
                c.Line("float sum = 0f;");
                c.Line($"for (int k = 0; k < {Classes}; k++) sum += global::System.MathF.Exp({c.Value(Logits, "k")} - max);");
                c.Line($"{c.Value(this, "0")} = max + global::System.MathF.Log(sum) - {c.Value(Logits, c.Value(Target, "0"))};");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(Logits)) return;
            using (c.BatchLoop(this))
            {
                c.Line($"float g = {c.Gradient(this, "0")};");
                c.Line($"int label = {c.Value(Target, "0")};");
                c.Line("float max = float.NegativeInfinity;");
                c.Line($"for (int k = 0; k < {Classes}; k++) max = global::System.MathF.Max(max, {c.Value(Logits, "k")});");
                c.Line("float sum = 0f;");
                c.Line($"for (int k = 0; k < {Classes}; k++) sum += global::System.MathF.Exp({c.Value(Logits, "k")} - max);");
                c.Line($"for (int k = 0; k < {Classes}; k++) {c.Gradient(Logits, "k")} += g * (global::System.MathF.Exp({c.Value(Logits, "k")} - max) / sum - (k == label ? 1f : 0f));");
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
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {Shape.Size}; i++)"))
            {
                c.Line($"float mask = !training ? 1f : _random.NextFloat() < {EmitContext.Literal(Probability)} ? 0f : {EmitContext.Literal(1.0 / (1.0 - Probability))};");
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
