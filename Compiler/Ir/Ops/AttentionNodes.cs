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
}
