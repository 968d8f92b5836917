using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>softmax or log_softmax over the last axis, in the stable form (shift by the row maximum).</summary>
    public sealed class SoftmaxNode : Node
    {
        public SoftmaxNode(Node x, bool log, SourceSpan span) : base(x.Shape, x.IsBatched, new[] { x }, span)
        {
            IsLog = log;
        }

        public bool IsLog { get; }
        public Node X => Inputs[0];
        private int Length => Shape.Last;
        private int Rows => Shape.Size / Length;
        private string Index(string k) => Rows == 1 ? k : $"r * {Length} + {k}";
        private SourceWriter.Scope? RowLoop(EmitContext c) => Rows == 1 ? null : c.Block($"for (int r = 0; r < {Rows}; r++)");

        public override string Describe() => IsLog ? "log_softmax" : "softmax";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            using (RowLoop(c))
            {
                string x(string k) => c.Value(X, Index(k));
                string y(string k) => c.Value(this, Index(k));
                c.Line("float max = float.NegativeInfinity;");
                c.Line($"for (int k = 0; k < {Length}; k++) max = global::System.MathF.Max(max, {x("k")});");
                c.Line("float sum = 0f;");
                if (IsLog)
                {
                    c.Line($"for (int k = 0; k < {Length}; k++) sum += global::System.MathF.Exp({x("k")} - max);");
                    c.Line("float logSum = max + global::System.MathF.Log(sum);");
                    c.Line($"for (int k = 0; k < {Length}; k++) {y("k")} = {x("k")} - logSum;");
                }
                else
                {
                    // Each exp once: kept in y, then divided by the sum.
                    using (c.Block($"for (int k = 0; k < {Length}; k++)"))
                    {
                        c.Line($"float e = global::System.MathF.Exp({x("k")} - max);");
                        c.Line($"{y("k")} = e;");
                        c.Line("sum += e;");
                    }
                    c.Line($"for (int k = 0; k < {Length}; k++) {y("k")} /= sum;");
                }
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            using (c.BatchLoop(this))
            using (RowLoop(c))
            {
                string y(string k) => c.Value(this, Index(k));
                string g(string k) => c.Gradient(this, Index(k));
                string gx(string k) => c.Gradient(X, Index(k));
                c.Line("float dot = 0f;");
                if (IsLog)
                {
                    // d log_softmax: gx = g - softmax * sum(g)
                    c.Line($"for (int k = 0; k < {Length}; k++) dot += {g("k")};");
                    c.Line($"for (int k = 0; k < {Length}; k++) {gx("k")} += {g("k")} - global::System.MathF.Exp({y("k")}) * dot;");
                }
                else
                {
                    // d softmax: gx = y * (g - sum(g * y))
                    c.Line($"for (int k = 0; k < {Length}; k++) dot += {g("k")} * {y("k")};");
                    c.Line($"for (int k = 0; k < {Length}; k++) {gx("k")} += {y("k")} * ({g("k")} - dot);");
                }
            }
        }
    }
}
