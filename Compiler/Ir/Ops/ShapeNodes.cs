using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>Joins tensors along one axis; the other axes must agree. Viewed as [outer, length_i * inner] blocks.</summary>
    public sealed class ConcatNode : Node
    {
        public ConcatNode(IReadOnlyList<Node> parts, int axis, Shape shape, SourceSpan span)
            : base(shape, parts.Any(p => p.IsBatched), parts, span)
        {
            Axis = axis;
            Outer = 1;
            for (int d = 0; d < axis; d++) Outer *= shape[d];
        }

        public int Axis { get; }
        public int Outer { get; }
        private int Chunk(Node part) => part.Shape.Size / Outer;

        public override string Describe() => $"concat on axis {Axis}";

        public override void EmitForward(EmitContext c) => Emit(c, backward: false);
        public override void EmitBackward(EmitContext c) => Emit(c, backward: true);

        private void Emit(EmitContext c, bool backward)
        {
            int outChunk = Shape.Size / Outer;
            using (c.BatchLoop(this))
            using (c.Block($"for (int o = 0; o < {Outer}; o++)"))
            {
                int start = 0;
                foreach (var part in Inputs)
                {
                    int chunk = Chunk(part);
                    string dst = $"o * {outChunk} + {start} + k", src = $"o * {chunk} + k";
                    if (!backward)
                        c.Line($"for (int k = 0; k < {chunk}; k++) {c.Value(this, dst)} = {c.Value(part, src)};");
                    else if (c.WantsGradient(part))
                        c.Line($"for (int k = 0; k < {chunk}; k++) {c.Gradient(part, src)} += {c.Gradient(this, dst)};");
                    start += chunk;
                }
            }
        }
    }

    /// <summary>The same elements in row-major order under another shape (reshape and flatten).</summary>
    public sealed class ReshapeNode : Node
    {
        public ReshapeNode(Node x, Shape shape, SourceSpan span) : base(shape, x.IsBatched, new[] { x }, span) { }

        public Node X => Inputs[0];
        public override string Describe() => $"reshape {X.Shape}->{Shape}";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
                c.Line($"for (int i = 0; i < {Shape.Size}; i++) {c.Value(this, "i")} = {c.Value(X, "i")};");
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            using (c.BatchLoop(this))
                c.Line($"for (int i = 0; i < {Shape.Size}; i++) {c.Gradient(X, "i")} += {c.Gradient(this, "i")};");
        }
    }

    /// <summary>Swaps the two axes of a matrix: y[j, i] = x[i, j].</summary>
    public sealed class TransposeNode : Node
    {
        public TransposeNode(Node x, SourceSpan span) : base(new Shape(x.Shape[1], x.Shape[0]), x.IsBatched, new[] { x }, span) { }

        public Node X => Inputs[0];
        private int Rows => X.Shape[0];
        private int Columns => X.Shape[1];
        public override string Describe() => "transpose";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {Rows}; i++)"))
                c.Line($"for (int j = 0; j < {Columns}; j++) {c.Value(this, $"j * {Rows} + i")} = {c.Value(X, $"i * {Columns} + j")};");
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {Rows}; i++)"))
                c.Line($"for (int j = 0; j < {Columns}; j++) {c.Gradient(X, $"i * {Columns} + j")} += {c.Gradient(this, $"j * {Rows} + i")};");
        }
    }
}
