using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// Layer normalization over the last axis (length D), as torch.nn.LayerNorm(D):
    /// y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance and eps = 1e-5.
    /// Leading axes are independent rows. Runtime's LayerNormKernels computes it (vector loops per
    /// row); an input without a span of its own (a buffer) keeps the generated scalar loops. The
    /// backward pass recomputes each row's mean and variance instead of storing them.
    /// </summary>
    public sealed class LayerNormNode : Node
    {
        public const double Epsilon = 1e-5;

        public LayerNormNode(Node x, ParameterNode weight, ParameterNode bias, SourceSpan span)
            : base(x.Shape, x.IsBatched, new Node[] { x, weight, bias }, span)
        {
        }

        public Node X => Inputs[0];
        public Node Weight => Inputs[1];
        public Node Bias => Inputs[2];
        private int Features => Shape.Last;
        private int Rows => Shape.Size / Features;

        public override string Describe() => $"layernorm over {Features}";

        private string Index(string k) => Rows == 1 ? k : $"r * {Features} + {k}";
        private SourceWriter.Scope? RowLoop(EmitContext c) => Rows == 1 ? null : c.Block($"for (int r = 0; r < {Rows}; r++)");

        /// <summary>Writes the row's mean and 1/sqrt(var + eps) into locals mean and rstd.</summary>
        private void EmitStatistics(EmitContext c)
        {
            c.Line("float mean = 0f;");
            c.Line($"for (int k = 0; k < {Features}; k++) mean += {c.Value(X, Index("k"))};");
            c.Line($"mean /= {Features}f;");
            c.Line("float variance = 0f;");
            c.Line($"for (int k = 0; k < {Features}; k++) {{ float d = {c.Value(X, Index("k"))} - mean; variance += d * d; }}");
            c.Line($"float rstd = 1f / global::System.MathF.Sqrt(variance / {Features}f + {EmitContext.Literal(Epsilon)});");
        }

        private const string Kernels = "global::ModelC.Runtime.Kernels.LayerNormKernels";

        private string KernelSizes => $"{EmitContext.Rows(this, Features)}, {Features}, {EmitContext.Literal(Epsilon)}";

        public override void EmitForward(EmitContext c)
        {
            if (c.Region(X) is { } x)
            {
                c.Line($"{Kernels}.Forward({x}, {c.Region(Weight)}, {c.Region(Bias)}, {c.Region(this)}, {KernelSizes});");
                return;
            }
            using (c.BatchLoop(this))
            using (RowLoop(c))
            {
                EmitStatistics(c);
                c.Line($"for (int k = 0; k < {Features}; k++) {c.Value(this, Index("k"))} = ({c.Value(X, Index("k"))} - mean) * rstd * {c.Value(Weight, "k")} + {c.Value(Bias, "k")};");
            }
        }

        public override bool CanOverwriteGradient(Node input, EmitContext c) => input == X && c.Region(X) is not null;

        public override void EmitBackward(EmitContext c)
        {
            bool wantX = c.WantsGradient(X), wantW = c.WantsGradient(Weight), wantB = c.WantsGradient(Bias);
            if (!wantX && !wantW && !wantB) return;
            if (c.Region(X) is { } x)
            {
                string Wanted(Node node, bool wanted) => wanted ? c.Region(node, gradient: true)! : "default";
                string overwrite = wantX && c.OverwritesGradient(this, X) ? ", overwriteInputGradient: true" : "";
                c.Line($"{Kernels}.Backward({x}, {c.Region(Weight)}, {c.Region(this, gradient: true)}, {Wanted(X, wantX)}, {Wanted(Weight, wantW)}, {Wanted(Bias, wantB)}, {KernelSizes}{overwrite});");
                return;
            }
            using (c.BatchLoop(this))
            using (RowLoop(c))
            {
                EmitStatistics(c);
                // With n = x̂ the normalized value and h = g·weight: dx = rstd (h - mean(h) - x̂ mean(h x̂)).
                c.Line("float sumH = 0f, sumHX = 0f;");
                using (c.Block($"for (int k = 0; k < {Features}; k++)"))
                {
                    c.Line($"float g = {c.Gradient(this, Index("k"))};");
                    c.Line($"float n = ({c.Value(X, Index("k"))} - mean) * rstd;");
                    c.Line($"float h = g * {c.Value(Weight, "k")};");
                    c.Line("sumH += h;");
                    c.Line("sumHX += h * n;");
                    if (wantW) c.Line($"{c.Gradient(Weight, "k")} += g * n;");
                    if (wantB) c.Line($"{c.Gradient(Bias, "k")} += g;");
                }
                if (!wantX) return;
                c.Line($"sumH /= {Features}f;");
                c.Line($"sumHX /= {Features}f;");
                using (c.Block($"for (int k = 0; k < {Features}; k++)"))
                {
                    c.Line($"float n = ({c.Value(X, Index("k"))} - mean) * rstd;");
                    c.Line($"{c.Gradient(X, Index("k"))} += rstd * ({c.Gradient(this, Index("k"))} * {c.Value(Weight, "k")} - sumH - n * sumHX);");
                }
            }
        }
    }
}
