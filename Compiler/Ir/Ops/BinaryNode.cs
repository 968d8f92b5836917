using System;
using System.Collections.Generic;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// One elementwise function of two arguments: its value and its partial derivatives as C#
    /// expressions over the float variables a, b and y (the value).
    /// </summary>
    public sealed record BinaryFunction(string Name, string Symbol, Func<string, string, string> Forward,
        Func<string, string, string, string> DerivativeA, Func<string, string, string, string> DerivativeB);

    public static class BinaryFunctions
    {
        public static readonly BinaryFunction Add = new("add", "+", (a, b) => $"{a} + {b}", (a, b, y) => "1f", (a, b, y) => "1f");
        public static readonly BinaryFunction Subtract = new("sub", "-", (a, b) => $"{a} - {b}", (a, b, y) => "1f", (a, b, y) => "-1f");
        public static readonly BinaryFunction Multiply = new("mul", "*", (a, b) => $"{a} * {b}", (a, b, y) => b, (a, b, y) => a);
        public static readonly BinaryFunction Divide = new("div", "/", (a, b) => $"{a} / {b}", (a, b, y) => $"(1f / {b})", (a, b, y) => $"(-{a} / ({b} * {b}))");
        // Ties send the gradient to the first argument, as torch.maximum does not split it evenly;
        // tests keep inputs away from ties.
        public static readonly BinaryFunction Max = new("max", "max", (a, b) => $"({a} >= {b} ? {a} : {b})", (a, b, y) => $"({a} >= {b} ? 1f : 0f)", (a, b, y) => $"({a} >= {b} ? 0f : 1f)");
        public static readonly BinaryFunction Min = new("min", "min", (a, b) => $"({a} <= {b} ? {a} : {b})", (a, b, y) => $"({a} <= {b} ? 1f : 0f)", (a, b, y) => $"({a} <= {b} ? 0f : 1f)");
        // Binary cross-entropy on logits z against y, stable form: max(z,0) - z y + log1p(exp(-|z|)).
        public static readonly BinaryFunction BceWithLogits = new("bce_logits", "bce_logits",
            (z, t) => $"global::ModelC.Runtime.ScalarMath.BceWithLogits({z}, {t})",
            (z, t, y) => $"(global::ModelC.Runtime.ScalarMath.Sigmoid({z}) - {t})", (z, t, y) => $"(-{z})");
        // Binary cross-entropy on probabilities, each log clamped at -100 as PyTorch's BCELoss (see ScalarMath.Bce).
        public static readonly BinaryFunction Bce = new("bce", "bce",
            (p, t) => $"global::ModelC.Runtime.ScalarMath.Bce({p}, {t})",
            (p, t, y) => $"global::ModelC.Runtime.ScalarMath.BceGradient({p}, {t})",
            (p, t, y) => $"global::ModelC.Runtime.ScalarMath.BceTargetGradient({p}, {t})");

        /// <summary>
        /// masked_fill(x, mask, value), as torch.masked_fill: value where the mask is nonzero, x
        /// elsewhere. The filled places pass no gradient to x, and the mask none at all (PyTorch's
        /// masks are booleans). A select rather than x (1 - m) + value m, so that a value of -inf
        /// (or an x of ±inf) gives no 0 · inf = NaN.
        /// </summary>
        public static BinaryFunction MaskedFill(double value)
        {
            string fill = EmitContext.Literal(value);
            return new("masked_fill", "masked_fill", (x, mask) => $"({mask} != 0f ? {fill} : {x})",
                (x, mask, y) => $"({mask} != 0f ? 0f : 1f)", (x, mask, y) => "0f");
        }
    }

    /// <summary>y = f(a, b) elementwise with NumPy broadcasting; per-example and batch-wide operands mix freely.</summary>
    public sealed class BinaryNode : Node
    {
        private BinaryNode(BinaryFunction function, Node a, Node b, Shape shape, SourceSpan span)
            : base(shape, a.IsBatched || b.IsBatched, new[] { a, b }, span)
        {
            Function = function;
        }

        public BinaryFunction Function { get; }
        public Node A => Inputs[0];
        public Node B => Inputs[1];

        /// <summary>The shape rule: NumPy broadcasting. Null (after reporting) when the shapes do not broadcast.</summary>
        public static Node Create(BinaryFunction function, Node a, Node b, SourceSpan span, Action<Shape, Shape> reportMismatch)
        {
            var shape = Shape.Broadcast(a.Shape, b.Shape);
            if (shape is null)
            {
                reportMismatch(a.Shape, b.Shape);
                return new ErrorNode(span);
            }
            return new BinaryNode(function, a, b, shape, span);
        }

        public override string Describe() => Function.Name;

        /// <summary>
        /// An add of two tensors of its own shape, both per example or both batch-wide (a residual
        /// connection), runs as one vector kernel over the whole batch: the same bits as the loop.
        /// </summary>
        private bool UsesAddKernel(EmitContext c) => ReferenceEquals(Function, BinaryFunctions.Add) && SameShapeSpans(c);

        private bool SameShapeSpans(EmitContext c) =>
            A.Shape.Equals(Shape) && B.Shape.Equals(Shape) && A.IsBatched == IsBatched && B.IsBatched == IsBatched
            && c.Region(A) is not null && c.Region(B) is not null && c.Region(this) is not null;

        private const string ElementwiseKernels = "global::ModelC.Runtime.Kernels.ElementwiseKernels";

        /// <summary>
        /// A subtraction or multiplication of two tensors of its own shape runs as one vector kernel
        /// (ElementwiseKernels: the same bits as the loop); the kernel's name, or null.
        /// </summary>
        private string? SameShapeKernel(EmitContext c) =>
            !SameShapeSpans(c) ? null
            : ReferenceEquals(Function, BinaryFunctions.Subtract) ? "Subtract"
            : ReferenceEquals(Function, BinaryFunctions.Multiply) ? "Multiply"
            : null;

        private const string VectorKernels = "global::ModelC.Runtime.Kernels.VectorKernels";

        /// <summary>
        /// An add of a per-example tensor and a batch-wide one of the same shape (a learned position
        /// embedding): the batch-wide row added to every example's, and in the backward pass its
        /// gradient summed over the examples in batch order, as the loop does. A scalar or short row
        /// (a penalty added to each example's loss) stays a loop: a call per row costs more than it.
        /// </summary>
        private bool UsesAddRowKernel(EmitContext c) =>
            ReferenceEquals(Function, BinaryFunctions.Add) && A.Shape.Equals(Shape) && B.Shape.Equals(Shape)
            && IsBatched && A.IsBatched != B.IsBatched && Shape.Size >= 64
            && c.Region(A) is not null && c.Region(B) is not null && c.Region(this) is not null;

        private Node PerExample => A.IsBatched ? A : B;
        private Node BatchWide => A.IsBatched ? B : A;

        // An add hands its gradient to a same-shaped per-example operand unchanged: added, or copied when that
        // operand's gradient is this step's to write (the copy keeps a -0 that adding to a cleared +0 would not).
        private string PassGradient(EmitContext c, Node operand) =>
            c.OverwritesGradient(this, operand)
                ? $"{c.Region(this, gradient: true)}.CopyTo({c.Region(operand, gradient: true)});"
                : $"{VectorKernels}.AddTo({c.Region(this, gradient: true)}, {c.Region(operand, gradient: true)});";

        public override bool CanOverwriteGradient(Node input, EmitContext c) =>
            input.IsBatched && (UsesAddKernel(c) || (UsesAddRowKernel(c) && input == PerExample));

        public override void EmitForward(EmitContext c)
        {
            if (UsesAddKernel(c))
            {
                c.Line($"{VectorKernels}.Add({c.Region(A)}, {c.Region(B)}, {c.Region(this)});");
                return;
            }
            if (UsesAddRowKernel(c))
            {
                c.Line($"{VectorKernels}.AddRow({c.Region(PerExample)}, {c.Region(BatchWide)}, {c.Region(this)}, batch);");
                return;
            }
            if (SameShapeKernel(c) is { } kernel)
            {
                c.Line($"{ElementwiseKernels}.{kernel}({c.Region(A)}, {c.Region(B)}, {c.Region(this)});");
                return;
            }
            using (c.BatchLoop(this))
            {
                c.BroadcastLoops(Shape, new[] { A.Shape, B.Shape }, (i, idx) =>
                    c.Line($"{c.Value(this, i)} = {Function.Forward(c.Value(A, idx[0]), c.Value(B, idx[1]))};"));
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            bool wantA = c.WantsGradient(A), wantB = c.WantsGradient(B);
            if (!wantA && !wantB) return;
            if (UsesAddKernel(c))
            {
                if (wantA) c.Line(PassGradient(c, A));
                if (wantB) c.Line(PassGradient(c, B));
                return;
            }
            if (UsesAddRowKernel(c))
            {
                bool wantPerExample = A.IsBatched ? wantA : wantB, wantBatchWide = A.IsBatched ? wantB : wantA;
                if (wantPerExample) c.Line(PassGradient(c, PerExample));
                if (wantBatchWide) c.Line($"{EmitContext.Kernels}.AddColumnSums({c.Region(this, gradient: true)}, {c.Region(BatchWide, gradient: true)}, batch, {Shape.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)});");
                return;
            }
            if (SameShapeKernel(c) is { } kernel)
            {
                string wantedA = wantA ? c.Region(A, gradient: true)! : "default", wantedB = wantB ? c.Region(B, gradient: true)! : "default";
                string operands = kernel == "Multiply" ? $"{c.Region(A)}, {c.Region(B)}, " : "";
                c.Line($"{ElementwiseKernels}.{kernel}Backward({operands}{c.Region(this, gradient: true)}, {wantedA}, {wantedB});");
                return;
            }
            using (c.BatchLoop(this))
            {
                c.BroadcastLoops(Shape, new[] { A.Shape, B.Shape }, (i, idx) =>
                {
                    // Constant operands stay literals, and only the locals a derivative reads are declared:
                    // an unread local draws a warning in the user's build.
                    string a = A is ConstantNode ? c.Value(A, "0") : "a", bv = B is ConstantNode ? c.Value(B, "0") : "bv";
                    var derivatives = (wantA ? Function.DerivativeA(a, bv, "y") : "") + " " + (wantB ? Function.DerivativeB(a, bv, "y") : "");
                    if (EmitContext.Reads(derivatives, "a")) c.Line($"float a = {c.Value(A, idx[0])};");
                    if (EmitContext.Reads(derivatives, "bv")) c.Line($"float bv = {c.Value(B, idx[1])};");
                    if (EmitContext.Reads(derivatives, "y")) c.Line($"float y = {c.Value(this, i)};");
                    c.Line($"float g = {c.Gradient(this, i)};");
                    if (wantA) c.Line($"{c.Gradient(A, idx[0])} += g * {Function.DerivativeA(a, bv, "y")};");
                    if (wantB) c.Line($"{c.Gradient(B, idx[1])} += g * {Function.DerivativeB(a, bv, "y")};");
                });
            }
        }
    }
}
