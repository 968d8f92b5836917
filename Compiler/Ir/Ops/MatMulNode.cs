using System;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// a @ b within one example, NumPy rules for ranks 1 and 2: [m,n]@[n,p] -> [m,p], [n]@[n,p] -> [p],
    /// [m,n]@[n] -> [m], [n]@[n] -> []. Viewed internally as [M,N] @ [N,P].
    /// </summary>
    public sealed class MatMulNode : Node
    {
        private MatMulNode(Node a, Node b, Shape shape, int m, int n, int p, SourceSpan span)
            : base(shape, a.IsBatched || b.IsBatched, new[] { a, b }, span)
        {
            M = m; N = n; P = p;
        }

        public int M { get; }
        public int N { get; }
        public int P { get; }
        public Node A => Inputs[0];
        public Node B => Inputs[1];

        /// <summary>The shape rule. Returns an error node after calling report(message) on a mismatch.</summary>
        public static Node Create(Node a, Node b, SourceSpan span, Action<string> report)
        {
            if (a.Shape.Rank is < 1 or > 2 || b.Shape.Rank is < 1 or > 2)
            {
                report($"'@' needs vectors or matrices, but got {a.Shape} @ {b.Shape}");
                return new ErrorNode(span);
            }
            int m = a.Shape.Rank == 2 ? a.Shape[0] : 1, n = a.Shape.Last;
            int nb = b.Shape[0], p = b.Shape.Rank == 2 ? b.Shape[1] : 1;
            if (n != nb)
            {
                report($"shape mismatch in '@': {a.Shape} @ {b.Shape} (inner sizes {n} and {nb} differ)");
                return new ErrorNode(span);
            }
            var dims = new System.Collections.Generic.List<int>();
            if (a.Shape.Rank == 2) dims.Add(m);
            if (b.Shape.Rank == 2) dims.Add(p);
            return new MatMulNode(a, b, Shape.Of(dims), m, n, p, span);
        }

        public override long ForwardFlops => 2L * M * N * P;

        public override string Describe() => $"matmul [{M},{N}]@[{N},{P}]";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {M}; i++)"))
            using (c.Block($"for (int j = 0; j < {P}; j++)"))
            {
                c.Line("float sum = 0f;");
                using (c.Block($"for (int k = 0; k < {N}; k++)"))
                    c.Line($"sum += {c.Value(A, $"i * {N} + k")} * {c.Value(B, $"k * {P} + j")};");
                c.Line($"{c.Value(this, $"i * {P} + j")} = sum;");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            bool wantA = c.WantsGradient(A), wantB = c.WantsGradient(B);
            if (!wantA && !wantB) return;
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {M}; i++)"))
            using (c.Block($"for (int j = 0; j < {P}; j++)"))
            {
                c.Line($"float g = {c.Gradient(this, $"i * {P} + j")};");
                using (c.Block($"for (int k = 0; k < {N}; k++)"))
                {
                    if (wantA) c.Line($"{c.Gradient(A, $"i * {N} + k")} += g * {c.Value(B, $"k * {P} + j")};");
                    if (wantB) c.Line($"{c.Gradient(B, $"k * {P} + j")} += g * {c.Value(A, $"i * {N} + k")};");
                }
            }
        }
    }
}
