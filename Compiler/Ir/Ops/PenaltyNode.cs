using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    public enum PenaltyKind { L1, L2 }

    /// <summary>
    /// l1(...) = sum |w| and l2(...) = sum w² over batch-wide tensors (parameters), summed in one
    /// pass without storing the elementwise terms: an l2 on a large weight matrix costs no memory.
    /// Gradients: sign(w) and 2w.
    /// </summary>
    public sealed class PenaltyNode : Node
    {
        public PenaltyNode(PenaltyKind kind, IReadOnlyList<Node> tensors, SourceSpan span)
            : base(Shape.Scalar, batched: false, tensors, span)
        {
            Kind = kind;
        }

        public PenaltyKind Kind { get; }
        public override string Describe() => $"{(Kind == PenaltyKind.L1 ? "l1" : "l2")} of {string.Join(", ", Inputs.Select(i => i.Name ?? i.Describe()))}";

        public override void EmitForward(EmitContext c)
        {
            c.Line("float total = 0f;");
            foreach (var tensor in Inputs)
            {
                var region = c.Region(tensor);
                if (region is not null)
                {
                    c.Line($"total += global::ModelC.Runtime.Kernels.VectorKernels.{(Kind == PenaltyKind.L1 ? "SumOfMagnitudes" : "SumOfSquares")}({region});");
                    continue;
                }
                var w = c.Value(tensor, "i");
                c.Line($"for (int i = 0; i < {tensor.Shape.Size}; i++) total += {(Kind == PenaltyKind.L1 ? $"global::System.MathF.Abs({w})" : $"{w} * {w}")};");
            }
            c.Line($"{c.Value(this, "0")} = total;");
        }

        public override void EmitBackward(EmitContext c)
        {
            c.Line($"float g = {c.Gradient(this, "0")};");
            foreach (var tensor in Inputs.Where(c.WantsGradient))
            {
                var region = c.Region(tensor);
                if (Kind == PenaltyKind.L2 && region is not null)
                {
                    c.Line($"global::ModelC.Runtime.Kernels.VectorKernels.AddScaled({region}, 2f * g, {c.Region(tensor, gradient: true)});");
                    continue;
                }
                var w = c.Value(tensor, "i");
                var derivative = Kind == PenaltyKind.L1 ? $"({w} > 0f ? 1f : {w} < 0f ? -1f : 0f)" : $"2f * {w}";
                c.Line($"for (int i = 0; i < {tensor.Shape.Size}; i++) {c.Gradient(tensor, "i")} += g * {derivative};");
            }
        }
    }
}
