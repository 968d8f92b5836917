using System.Linq;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    public enum ReduceKind { Sum, Mean, Max }

    /// <summary>
    /// sum, mean or max over one axis of an example (or all of it). The input is viewed as
    /// [outer, length, inner] around the reduced axis.
    /// </summary>
    public sealed class ReduceNode : Node
    {
        private ReduceNode(ReduceKind kind, Node x, int? axis, Shape shape, SourceSpan span)
            : base(shape, x.IsBatched, new[] { x }, span)
        {
            Kind = kind;
            Axis = axis;
            if (axis is int a)
            {
                Outer = 1; for (int d = 0; d < a; d++) Outer *= x.Shape[d];
                Length = x.Shape[a];
                Inner = 1; for (int d = a + 1; d < x.Shape.Rank; d++) Inner *= x.Shape[d];
            }
            else
            {
                Outer = 1; Length = x.Shape.Size; Inner = 1;
            }
        }

        public ReduceKind Kind { get; }
        /// <summary>The reduced axis (normalized), or null for all axes.</summary>
        public int? Axis { get; }
        public int Outer { get; }
        public int Length { get; }
        public int Inner { get; }
        public Node X => Inputs[0];

        /// <summary>Reduces over a normalized axis, or all axes when axis is null. The axis was validated by the caller.</summary>
        public static ReduceNode Create(ReduceKind kind, Node x, int? axis, SourceSpan span)
        {
            var shape = axis is int a ? Shape.Of(x.Shape.Dims.Where((_, d) => d != a)) : Shape.Scalar;
            return new ReduceNode(kind, x, axis, shape, span);
        }

        public override string Describe() => $"{Kind.ToString().ToLowerInvariant()}{(Axis is int a ? $" over axis {a}" : "")}";

        private string InputIndex => $"(o * {Length} + k) * {Inner} + j";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            using (c.Block($"for (int o = 0; o < {Outer}; o++)"))
            using (c.Block($"for (int j = 0; j < {Inner}; j++)"))
            {
                c.Line(Kind == ReduceKind.Max ? "float acc = float.NegativeInfinity;" : "float acc = 0f;");
                using (c.Block($"for (int k = 0; k < {Length}; k++)"))
                    c.Line(Kind == ReduceKind.Max
                        ? $"acc = global::System.MathF.Max(acc, {c.Value(X, InputIndex)});"
                        : $"acc += {c.Value(X, InputIndex)};");
                c.Line($"{c.Value(this, $"o * {Inner} + j")} = {(Kind == ReduceKind.Mean ? $"acc / {Length}f" : "acc")};");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            using (c.BatchLoop(this))
            using (c.Block($"for (int o = 0; o < {Outer}; o++)"))
            using (c.Block($"for (int j = 0; j < {Inner}; j++)"))
            {
                c.Line($"float g = {c.Gradient(this, $"o * {Inner} + j")};");
                switch (Kind)
                {
                    case ReduceKind.Sum:
                        using (c.Block($"for (int k = 0; k < {Length}; k++)")) c.Line($"{c.Gradient(X, InputIndex)} += g;");
                        break;
                    case ReduceKind.Mean:
                        using (c.Block($"for (int k = 0; k < {Length}; k++)")) c.Line($"{c.Gradient(X, InputIndex)} += g / {Length}f;");
                        break;
                    default:
                        // The whole gradient goes to the first maximal element, as torch.max(dim) does.
                        c.Line($"float best = {c.Value(this, $"o * {Inner} + j")};");
                        using (c.Block($"for (int k = 0; k < {Length}; k++)"))
                            c.Line($"if ({c.Value(X, InputIndex)} == best) {{ {c.Gradient(X, InputIndex)} += g; break; }}");
                        break;
                }
            }
        }
    }
}
