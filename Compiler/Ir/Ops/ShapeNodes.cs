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

    /// <summary>
    /// The same elements in row-major order under another shape (reshape and flatten); usually a
    /// view that ModelPlan places on its input's values, a copy only where the storage differs.
    /// </summary>
    public sealed class ReshapeNode : Node
    {
        public ReshapeNode(Node x, Shape shape, SourceSpan span) : base(shape, x.IsBatched, new[] { x }, span) { }

        public Node X => Inputs[0];
        public override string Describe() => $"reshape {X.Shape}->{Shape}";

        public override void EmitForward(EmitContext c)
        {
            if (c.IsView(this, X))
            {
                c.Line($"// a view of the {X.Shape} values in place: nothing to copy");
                return;
            }
            using (c.BatchLoop(this))
                c.Line($"for (int i = 0; i < {Shape.Size}; i++) {c.Value(this, "i")} = {c.Value(X, "i")};");
        }

        public override void EmitBackward(EmitContext c)
        {
            // A view's gradient accumulates where its input's does.
            if (!c.WantsGradient(X) || c.IsView(this, X)) return;
            using (c.BatchLoop(this))
                c.Line($"for (int i = 0; i < {Shape.Size}; i++) {c.Gradient(X, "i")} += {c.Gradient(this, "i")};");
        }
    }

    /// <summary>
    /// Reorders the axes of a tensor of any rank: y has axis i of length x.shape[axes[i]], and
    /// y[j0, j1, ...] = x at index j_i on axis axes[i] (torch.permute, numpy.transpose(x, axes)).
    /// A matrix transpose is the permutation [1, 0].
    /// </summary>
    public sealed class PermuteNode : Node
    {
        private PermuteNode(Node x, int[] axes, SourceSpan span)
            : base(new Shape(axes.Select(a => x.Shape[a]).ToArray()), x.IsBatched, new[] { x }, span)
        {
            Axes = axes;
        }

        public Node X => Inputs[0];
        /// <summary>Output axis i is input axis Axes[i].</summary>
        public IReadOnlyList<int> Axes { get; }

        /// <summary>The permutation of x's axes; null unless axes holds each of 0..rank-1 once.</summary>
        public static PermuteNode? Create(Node x, int[] axes, SourceSpan span)
        {
            if (axes.Length != x.Shape.Rank || axes.Distinct().Count() != axes.Length || axes.Any(a => a < 0 || a >= x.Shape.Rank)) return null;
            return new PermuteNode(x, axes, span);
        }

        public override string Describe() => Axes.Count == 2 ? "transpose" : $"permute [{string.Join(", ", Axes)}]";

        public override void EmitForward(EmitContext c) => Emit(c, backward: false);

        public override void EmitBackward(EmitContext c)
        {
            if (c.WantsGradient(X)) Emit(c, backward: true);
        }

        // One loop per output axis (d0 outermost); the input index adds each loop variable times the stride
        // of the input axis it walks. The backward pass walks the same pairs and adds y's gradient back.
        private void Emit(EmitContext c, bool backward)
        {
            int rank = Shape.Rank;
            var inputStrides = new int[rank];
            for (int d = rank - 1, stride = 1; d >= 0; stride *= X.Shape[d], d--) inputStrides[d] = stride;
            var scopes = new List<SourceWriter.Scope?> { c.BatchLoop(this) };
            for (int d = 0; d < rank; d++) scopes.Add(c.Block($"for (int d{d} = 0; d{d} < {Shape[d]}; d{d}++)"));
            string output = Flat(Enumerable.Range(0, rank).Select(d => (d, OutputStride(d))));
            string input = Flat(Enumerable.Range(0, rank).Select(d => (d, inputStrides[Axes[d]])));
            c.Line(backward
                ? $"{c.Gradient(X, input)} += {c.Gradient(this, output)};"
                : $"{c.Value(this, output)} = {c.Value(X, input)};");
            for (int k = scopes.Count - 1; k >= 0; k--) scopes[k]?.Dispose();
        }

        private int OutputStride(int axis)
        {
            int stride = 1;
            for (int d = axis + 1; d < Shape.Rank; d++) stride *= Shape[d];
            return stride;
        }

        private static string Flat(IEnumerable<(int Axis, int Stride)> terms) =>
            string.Join(" + ", terms.Select(t => t.Stride == 1 ? $"d{t.Axis}" : $"d{t.Axis} * {t.Stride}"));
    }
}
