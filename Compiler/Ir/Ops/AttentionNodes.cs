using System;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// causal_mask(T): the [T, T] matrix that is 0 on and below the diagonal and -inf above it, as
    /// torch.nn.Transformer.generate_square_subsequent_mask(T). Added to attention scores before a
    /// softmax, it lets position i attend only to positions j &lt;= i: exp(-inf) is exactly 0, and
    /// so is the gradient there. The same for every example, so it is written once per pass into the
    /// batch-wide values; it depends on nothing, so nothing flows back into it.
    /// </summary>
    public sealed class CausalMaskNode : Node
    {
        public CausalMaskNode(int length, SourceSpan span) : base(new Shape(length, length), batched: false, Array.Empty<Node>(), span)
        {
            Length = length;
        }

        public int Length { get; }

        public override string Describe() => $"causal mask {Length}x{Length}";

        /// <summary>Writes and adds nothing: no floating-point operation per example.</summary>
        public override long ForwardFlops => 0;

        public override void EmitForward(EmitContext c)
        {
            using (c.Block($"for (int i = 0; i < {Length}; i++)"))
                c.Line($"for (int j = 0; j < {Length}; j++) {c.Value(this, $"i * {Length} + j")} = j <= i ? 0f : float.NegativeInfinity;");
        }

        public override void EmitBackward(EmitContext c) { }
    }

    /// <summary>
    /// Every head's scaled dot-product attention over a multihead_attention layer's input
    /// projection [T, 3E] (queries, keys, values side by side, head h in columns h·D .. h·D + D of
    /// each): softmax(q kᵀ / √D (+ causal mask)) v, the heads side by side again as [T, E]. What the
    /// permutation into heads, the two batched products, the mask, the softmax and the permutation
    /// back compute, in one pass of Runtime's AttentionKernels, forward and backward; its scratch
    /// keeps the softmax weights [heads, T, T] for the backward pass.
    /// </summary>
    public sealed class AttentionNode : Node
    {
        private const string Kernels = "global::ModelC.Runtime.Kernels.AttentionKernels";

        public AttentionNode(Node projected, int heads, bool causal, SourceSpan span)
            : base(new Shape(projected.Shape[0], projected.Shape[1] / 3), projected.IsBatched, new[] { projected }, span)
        {
            Heads = heads;
            IsCausal = causal;
        }

        public Node Projected => Inputs[0];
        public int Heads { get; }
        public bool IsCausal { get; }
        public int Length => Shape[0];
        public int HeadSize => Shape[1] / Heads;

        public override long ScratchSize => (long)Heads * Length * Length;

        public override string Describe() => $"attention, {Heads} heads of {HeadSize}{(IsCausal ? ", causal" : "")}";

        /// <summary>Two products of T · T · D multiply-adds per head, and the softmax.</summary>
        public override long ForwardFlops => Sizes.Sum(Sizes.Product(4L * Heads, (long)Length * Length * HeadSize), ScratchSize);

        private string KernelArguments => $"batch, {Length}, {Heads}, {HeadSize}, causal: {(IsCausal ? "true" : "false")}";

        public override void EmitForward(EmitContext c) =>
            c.Line($"{Kernels}.Forward({c.Region(Projected)}, {c.ScratchRegion(this)}, {c.Region(this)}, {KernelArguments});");

        public override bool CanOverwriteGradient(Node input, EmitContext c) => true;

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(Projected)) return;
            string overwrite = c.OverwritesGradient(this, Projected) ? ", overwrite: true" : "";
            c.Line($"{Kernels}.Backward({c.Region(Projected)}, {c.ScratchRegion(this)}, {c.Region(this, gradient: true)}, {c.Region(Projected, gradient: true)}, {KernelArguments}{overwrite});");
        }
    }
}
