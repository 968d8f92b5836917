using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// a @ b within one example, as torch.matmul: [m,n]@[n,p] -> [m,p], [n]@[n,p] -> [p],
    /// [m,n]@[n] -> [m], [n]@[n] -> [], and stacks of matrices [..., m, n] @ [..., n, p] ->
    /// [..., m, p] whose leading (batch) axes broadcast as NumPy's do, e.g. one [T, D] @ [D, T] per
    /// attention head: [H, T, D] @ [H, D, T] -> [H, T, T]. Viewed internally as G products
    /// [M,N] @ [N,P], each one call of the dense kernels.
    /// </summary>
    public sealed class MatMulNode : Node
    {
        private MatMulNode(Node a, Node b, Shape shape, Shape batch, Shape batchA, Shape batchB, int m, int n, int p, SourceSpan span)
            : base(shape, a.IsBatched || b.IsBatched, new[] { a, b }, span)
        {
            M = m; N = n; P = p;
            BatchShape = batch;
            BatchA = batchA;
            BatchB = batchB;
        }

        public int M { get; }
        public int N { get; }
        public int P { get; }
        /// <summary>The broadcast leading axes of the output: one [M,P] product per element ([] for a single product).</summary>
        public Shape BatchShape { get; }
        /// <summary>The leading axes of a and of b (before broadcasting), each [] for a single matrix or vector.</summary>
        public Shape BatchA { get; }
        public Shape BatchB { get; }
        public Node A => Inputs[0];
        public Node B => Inputs[1];
        private int Products => BatchShape.Size;

        /// <summary>The shape rule. Returns an error node after calling report(message) on a mismatch.</summary>
        public static Node Create(Node a, Node b, SourceSpan span, Action<string> report)
        {
            if (a.Shape.Rank < 1 || b.Shape.Rank < 1)
            {
                report($"'@' needs vectors, matrices or stacks of matrices, but got {a.Shape} @ {b.Shape}");
                return new ErrorNode(span);
            }
            int m = a.Shape.Rank >= 2 ? a.Shape[a.Shape.Rank - 2] : 1, n = a.Shape.Last;
            int nb = b.Shape.Rank >= 2 ? b.Shape[b.Shape.Rank - 2] : b.Shape[0], p = b.Shape.Rank >= 2 ? b.Shape.Last : 1;
            if (n != nb)
            {
                report($"shape mismatch in '@': {a.Shape} @ {b.Shape} (inner sizes {n} and {nb} differ)");
                return new ErrorNode(span);
            }
            var batchA = Shape.Of(a.Shape.Dims.Take(Math.Max(0, a.Shape.Rank - 2)));
            var batchB = Shape.Of(b.Shape.Dims.Take(Math.Max(0, b.Shape.Rank - 2)));
            var batch = Shape.Broadcast(batchA, batchB);
            if (batch is null)
            {
                report($"shape mismatch in '@': {a.Shape} @ {b.Shape} (the leading axes {batchA} and {batchB} do not broadcast)");
                return new ErrorNode(span);
            }
            var dims = new List<int>(batch.Dims);
            if (a.Shape.Rank >= 2) dims.Add(m);
            if (b.Shape.Rank >= 2) dims.Add(p);
            return new MatMulNode(a, b, Shape.Of(dims), batch, batchA, batchB, m, n, p, span);
        }

        public override long ForwardFlops => 2L * Products * M * N * P;

        public override string Describe() => Products == 1 && BatchShape.Rank == 0
            ? $"matmul [{M},{N}]@[{N},{P}]"
            : $"matmul {BatchShape} x [{M},{N}]@[{N},{P}]";

        /// <summary>
        /// True when b is one matrix for the whole batch (a weight): then every row of a, in every
        /// example and every leading position, meets the same b, and the whole op is one product.
        /// </summary>
        private bool OneProduct => B.Shape.Rank == 2 && !B.IsBatched;

        public override void EmitForward(EmitContext c)
        {
            // Each product writes its slice of c whole (overwrite: c is not read), so c needs no clearing first.
            if (OneProduct)
            {
                // c (rows, P) = a (rows, N) b (N, P)
                c.Line($"{EmitContext.Kernels}.Multiply({c.Region(A)}, {N}, 1, {c.Region(B)}, {c.Region(this)}, {EmitContext.Rows(A, N)}, {P}, {N}, overwrite: true);");
                return;
            }
            using (c.BatchLoop(this))
                EachProduct(c, (g, ga, gb) =>
                    // c[g] (M, P) = a[ga] (M, N) b[gb] (N, P)
                    c.Line($"{EmitContext.Kernels}.Multiply({c.ValueSpan(A, Start(ga, M * N), M * N)}, {N}, 1, {c.ValueSpan(B, Start(gb, N * P), N * P)}, " +
                           $"{c.ValueSpan(this, Start(g, M * P), M * P)}, {M}, {P}, {N}, overwrite: true);"));
        }

        public override void EmitBackward(EmitContext c)
        {
            bool wantA = c.WantsGradient(A), wantB = c.WantsGradient(B);
            if (!wantA && !wantB) return;
            if (OneProduct)
            {
                string rows = EmitContext.Rows(A, N), dc = c.Region(this, gradient: true)!;
                // da (rows, N) += dc (rows, P) b^T, with b (N, P) read as MultiplyTransposed's [n, k] weight
                if (wantA) c.Line($"{EmitContext.Kernels}.MultiplyTransposed({dc}, {c.Region(B)}, {c.Region(A, gradient: true)}, {rows}, {N}, {P});");
                // db (N, P) += a^T (N, rows) dc (rows, P)
                if (wantB) c.Line($"{EmitContext.Kernels}.Multiply({c.Region(A)}, 1, {N}, {dc}, {c.Region(B, gradient: true)}, {N}, {P}, {rows});");
                return;
            }
            using (c.BatchLoop(this))
                EachProduct(c, (g, ga, gb) =>
                {
                    string dc = c.GradientSpan(this, Start(g, M * P), M * P);
                    // da[ga] (M, N) += dc[g] (M, P) b[gb]^T
                    if (wantA)
                        c.Line($"{EmitContext.Kernels}.MultiplyTransposed({dc}, {c.ValueSpan(B, Start(gb, N * P), N * P)}, {c.GradientSpan(A, Start(ga, M * N), M * N)}, {M}, {N}, {P});");
                    // db[gb] (N, P) += a[ga]^T (N, M) dc[g] (M, P)
                    if (wantB)
                        c.Line($"{EmitContext.Kernels}.Multiply({c.ValueSpan(A, Start(ga, M * N), M * N)}, 1, {N}, {dc}, {c.GradientSpan(B, Start(gb, N * P), N * P)}, {N}, {P}, {M});");
                });
        }

        private static string Start(string index, int size) => index == "0" ? "0" : $"{index} * {size}";

        /// <summary>
        /// Writes the loops over the leading axes and calls body with the index of the output's
        /// product and of the a and b matrices it multiplies (equal unless an operand is broadcast).
        /// </summary>
        private void EachProduct(EmitContext c, Action<string, string, string> body)
        {
            if (Products == 1)
            {
                body("0", "0", "0");
                return;
            }
            if (BatchA.Equals(BatchShape) && BatchB.Equals(BatchShape))
            {
                using (c.Block($"for (int g = 0; g < {Products}; g++)")) body("g", "g", "g");
                return;
            }
            int rank = BatchShape.Rank;
            var scopes = new List<SourceWriter.Scope>();
            for (int d = 0; d < rank; d++) scopes.Add(c.Block($"for (int g{d} = 0; g{d} < {BatchShape[d]}; g{d}++)"));
            c.Line($"int g = {Flat(BatchShape.BroadcastStrides(BatchShape))};");
            c.Line($"int ga = {Flat(BatchA.BroadcastStrides(BatchShape))};");
            c.Line($"int gb = {Flat(BatchB.BroadcastStrides(BatchShape))};");
            body("g", "ga", "gb");
            for (int d = rank - 1; d >= 0; d--) scopes[d].Dispose();
        }

        private static string Flat(int[] strides)
        {
            var terms = strides.Select((stride, d) => stride == 0 ? null : stride == 1 ? $"g{d}" : $"g{d} * {stride}").Where(t => t is not null).ToList();
            return terms.Count == 0 ? "0" : string.Join(" + ", terms);
        }
    }
}
