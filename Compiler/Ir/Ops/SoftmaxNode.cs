using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// softmax or log_softmax over one axis (the last unless told), in the stable form (shift by the
    /// maximum along the axis). Viewed as [outer, length, inner]: each of the outer · inner lines of
    /// <c>length</c> elements, <c>inner</c> apart, is normalized on its own. Over the last axis
    /// (inner 1) Runtime's SoftmaxKernels computes it, eight lanes at a time; other axes, and values
    /// without a span of their own, keep the generated scalar loops.
    /// </summary>
    public sealed class SoftmaxNode : Node
    {
        public SoftmaxNode(Node x, bool log, SourceSpan span) : this(x, log, x.Shape.Rank - 1, span) { }

        public SoftmaxNode(Node x, bool log, int axis, SourceSpan span) : base(x.Shape, x.IsBatched, new[] { x }, span)
        {
            IsLog = log;
            Axis = axis;
            Inner = 1;
            for (int d = axis + 1; d < x.Shape.Rank; d++) Inner *= x.Shape[d];
        }

        public bool IsLog { get; }
        /// <summary>The axis normalized over, within one example.</summary>
        public int Axis { get; }
        public Node X => Inputs[0];
        private int Length => Shape[Axis];
        /// <summary>Elements after the axis: the distance between neighbours of one line.</summary>
        private int Inner { get; }
        private int Rows => Shape.Size / Length / Inner;

        // Element k of line (r, i): a last-axis softmax (Inner 1) reads each row where it lies.
        private string Index(string k)
        {
            string row = Rows == 1 ? "" : $"r * {Length * Inner} + ";
            return Inner == 1 ? (Rows == 1 ? k : $"r * {Length} + {k}") : $"{row}{k} * {Inner} + i";
        }

        private SourceWriter.Scope? RowLoop(EmitContext c) => Rows == 1 ? null : c.Block($"for (int r = 0; r < {Rows}; r++)");
        private SourceWriter.Scope? InnerLoop(EmitContext c) => Inner == 1 ? null : c.Block($"for (int i = 0; i < {Inner}; i++)");

        private const string Kernels = "global::ModelC.Runtime.Kernels.SoftmaxKernels";

        private string KernelSizes => $"{EmitContext.Rows(this, Length)}, {Length}, log: {(IsLog ? "true" : "false")}";

        public override string Describe() => (IsLog ? "log_softmax" : "softmax") + (Axis == Shape.Rank - 1 ? "" : $" over axis {Axis}");

        public override void EmitForward(EmitContext c)
        {
            if (Inner == 1 && c.Region(X) is { } input && c.Region(this) is { } output)
            {
                c.Line($"{Kernels}.Forward({input}, {output}, {KernelSizes});");
                return;
            }
            using (c.BatchLoop(this))
            using (RowLoop(c))
            using (InnerLoop(c))
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
            if (Inner == 1 && c.Region(this) is { } output && c.Region(this, gradient: true) is { } outputGradient && c.Region(X, gradient: true) is { } inputGradient)
            {
                c.Line($"{Kernels}.Backward({output}, {outputGradient}, {inputGradient}, {KernelSizes});");
                return;
            }
            using (c.BatchLoop(this))
            using (RowLoop(c))
            using (InnerLoop(c))
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
