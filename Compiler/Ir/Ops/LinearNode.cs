using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// A dense layer on the last axis: y[..., o] = sum_k x[..., k] W[o, k] + bias[o], with W laid out
    /// [out, in] as in PyTorch. Leading axes of x are independent rows.
    /// </summary>
    public sealed class LinearNode : Node
    {
        public LinearNode(Node x, ParameterNode weight, ParameterNode? bias, Shape shape, SourceSpan span)
            : base(shape, x.IsBatched, bias is null ? new Node[] { x, weight } : new Node[] { x, weight, bias }, span)
        {
        }

        public Node X => Inputs[0];
        public Node Weight => Inputs[1];
        public Node? Bias => Inputs.Count > 2 ? Inputs[2] : null;
        public int InFeatures => X.Shape.Last;
        public int OutFeatures => Shape.Last;
        private int Rows => X.Shape.Size / InFeatures;

        /// <summary>2 per multiply-add: rows x in x out.</summary>
        public override long ForwardFlops => 2L * (X.Shape.Size / InFeatures) * InFeatures * OutFeatures;

        public override string Describe() => $"dense {InFeatures}->{OutFeatures}";

        // A vector input (one row) reads best without a loop of one over rows.
        private string InputIndex(string k) => Rows == 1 ? k : $"r * {InFeatures} + {k}";
        private string OutputIndex(string o) => Rows == 1 ? o : $"r * {OutFeatures} + {o}";
        private SourceWriter.Scope? RowLoop(EmitContext c) => Rows == 1 ? null : c.Block($"for (int r = 0; r < {Rows}; r++)");

        // Kernels take spans over whole regions; a constant input (a literal) has none.
        public bool UsesKernels(EmitContext c) => c.Region(X) is not null;

        public override void EmitForward(EmitContext c) => EmitForward(c, relu: null);

        /// <summary>
        /// The forward pass; with <paramref name="relu"/> (a relu of this layer that runs right after
        /// it, see <see cref="Emit.Fusion"/>) its values are written in the same step.
        /// </summary>
        public void EmitForward(EmitContext c, UnaryNode? relu)
        {
            if (UsesKernels(c))
            {
                if (IsBatched && Rows == 1)
                {
                    // One example is a matrix-vector product: bias and relu go into the product's epilogue.
                    string bias = Bias is null ? "default" : c.Region(Bias)!;
                    using (c.Block("if (batch == 1)"))
                    {
                        c.Line(relu is null
                            ? $"{EmitContext.VectorKernels}.MultiplyAddBias({c.Region(X)}, {c.Region(Weight)}, {bias}, {c.Region(this)}, {OutFeatures}, {InFeatures});"
                            : $"{EmitContext.VectorKernels}.MultiplyAddBiasRelu({c.Region(X)}, {c.Region(Weight)}, {bias}, {c.Region(this)}, {c.Region(relu)}, {OutFeatures}, {InFeatures});");
                    }
                    using (c.Block("else")) EmitBatchProduct(c, relu);
                }
                else
                {
                    EmitBatchProduct(c, relu);
                }
                return;
            }
            using (c.BatchLoop(this))
            using (RowLoop(c))
            using (c.Block($"for (int o = 0; o < {OutFeatures}; o++)"))
            {
                c.Line($"float sum = {(Bias is null ? "0f" : c.Value(Bias, "o"))};");
                using (c.Block($"for (int k = 0; k < {InFeatures}; k++)"))
                    c.Line($"sum += {c.Value(X, InputIndex("k"))} * {c.Value(Weight, $"o * {InFeatures} + k")};");
                c.Line($"{c.Value(this, OutputIndex("o"))} = sum;");
            }
            if (relu is not null) relu.EmitForward(c);
        }

        // y (rows, out) = bias + x (rows, in) W^T with W (out, in), the bias added as the product stores
        // its tiles (without one, the product writes y from a zero bias); then relu over y when fused.
        private void EmitBatchProduct(EmitContext c, UnaryNode? relu)
        {
            string rows = EmitContext.Rows(this, OutFeatures);
            string packed = c.PackedWeightArguments((ParameterNode)Weight);
            if (Bias is null)
            {
                c.Line($"{EmitContext.Kernels}.MultiplyTransposed({c.Region(X)}, {c.Region(Weight)}, {c.Region(this)}, {rows}, {OutFeatures}, {InFeatures}, {packed}, overwrite: true);");
            }
            else
            {
                c.Line($"{EmitContext.Kernels}.MultiplyTransposed({c.Region(X)}, {c.Region(Weight)}, {c.Region(Bias)}, {c.Region(this)}, {rows}, {OutFeatures}, {InFeatures}, {packed});");
            }
            if (relu is not null) c.Line($"{EmitContext.ActivationKernels}.Relu({c.Region(this)}, {c.Region(relu)});");
        }

        public override bool CanOverwriteGradient(Node input, EmitContext c) => input == X && UsesKernels(c);

        public override void EmitBackward(EmitContext c) => EmitBackward(c, relu: null);

        /// <summary>
        /// The backward pass; with <paramref name="relu"/> (fused as in EmitForward) relu's
        /// derivative and the bias gradient come first, in one pass over the gradient rows.
        /// </summary>
        public void EmitBackward(EmitContext c, UnaryNode? relu)
        {
            bool wantX = c.WantsGradient(X), wantW = c.WantsGradient(Weight), wantB = Bias is not null && c.WantsGradient(Bias);
            if (UsesKernels(c))
            {
                string rows = EmitContext.Rows(this, OutFeatures), dy = c.Region(this, gradient: true)!;
                if (relu is not null)
                {
                    // dy (rows, out) += relu'(y) d(relu), then dbias (out) += column sums of dy
                    c.Line($"{EmitContext.ActivationKernels}.ReluBackwardWithBiasGradient({c.Region(this)}, {c.Region(relu, gradient: true)}, {dy}, {(wantB ? c.Region(Bias!, gradient: true) : "default")}, {rows}, {OutFeatures});");
                }
                // dbias (out) += column sums of dy (rows, out)
                else if (wantB) c.Line($"{EmitContext.Kernels}.AddColumnSums({dy}, {c.Region(Bias!, gradient: true)}, {rows}, {OutFeatures});");
                // dW (out, in) += dy^T (out, rows) x (rows, in)
                if (wantW) c.Line($"{EmitContext.Kernels}.Multiply({dy}, 1, {OutFeatures}, {c.Region(X)}, {c.Region(Weight, gradient: true)}, {OutFeatures}, {InFeatures}, {rows});");
                // dx (rows, in) += dy (rows, out) W (out, in), or = when this step is the first to write dx
                string overwrite = c.OverwritesGradient(this, X) ? ", overwrite: true" : "";
                if (wantX) c.Line($"{EmitContext.Kernels}.Multiply({dy}, {OutFeatures}, 1, {c.Region(Weight)}, {c.Region(X, gradient: true)}, {rows}, {InFeatures}, {OutFeatures}{overwrite});");
                return;
            }
            relu?.EmitBackward(c);
            using (c.BatchLoop(this))
            using (RowLoop(c))
            using (c.Block($"for (int o = 0; o < {OutFeatures}; o++)"))
            {
                c.Line($"float g = {c.Gradient(this, OutputIndex("o"))};");
                if (wantB) c.Line($"{c.Gradient(Bias!, "o")} += g;");
                if (!wantX && !wantW) return;
                using (c.Block($"for (int k = 0; k < {InFeatures}; k++)"))
                {
                    if (wantW) c.Line($"{c.Gradient(Weight, $"o * {InFeatures} + k")} += g * {c.Value(X, InputIndex("k"))};");
                    if (wantX) c.Line($"{c.Gradient(X, InputIndex("k"))} += g * {c.Value(Weight, $"o * {InFeatures} + k")};");
                }
            }
        }
    }
}
