using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    public enum PoolKind { Max, Average }

    /// <summary>
    /// Max or average pooling of an image [C, H, W] over kh×kw windows moved by a stride per axis,
    /// without padding (PyTorch's defaults): [C, OH, OW] with OH = floor((H - kh) / sh) + 1. The
    /// 1-D pools ([C, 1, L] with 1×k windows) and the global pools (one window the size of the
    /// image) are this node too.
    /// </summary>
    public sealed class Pool2dNode : Node
    {
        public Pool2dNode(PoolKind kind, Node x, int kernel, int stride, SourceSpan span)
            : this(kind, x, kernel, kernel, stride, stride, span) { }

        public Pool2dNode(PoolKind kind, Node x, int kernelH, int kernelW, int strideH, int strideW, SourceSpan span)
            : base(new Shape(x.Shape[0], (x.Shape[1] - kernelH) / strideH + 1, (x.Shape[2] - kernelW) / strideW + 1), x.IsBatched, new[] { x }, span)
        {
            Kind = kind;
            KernelH = kernelH;
            KernelW = kernelW;
            StrideH = strideH;
            StrideW = strideW;
        }

        public PoolKind Kind { get; }
        public int KernelH { get; }
        public int KernelW { get; }
        public int StrideH { get; }
        public int StrideW { get; }
        private bool IsSquare => KernelH == KernelW && StrideH == StrideW;
        public Node X => Inputs[0];
        private int Channels => X.Shape[0];
        private int Height => X.Shape[1];
        private int Width => X.Shape[2];
        private int OutHeight => Shape[1];
        private int OutWidth => Shape[2];

        public override string Describe() =>
            $"{(Kind == PoolKind.Max ? "maxpool2d" : "avgpool2d")} {KernelH}x{KernelW} stride {(StrideH == StrideW ? $"{StrideH}" : $"{StrideH},{StrideW}")}";

        private string InputIndex => $"ci * {Height * Width} + (oh * {StrideH} + kh) * {Width} + ow * {StrideW} + kw";
        private string OutputIndex => $"(ci * {OutHeight} + oh) * {OutWidth} + ow";

        private void WindowLoops(EmitContext c, System.Action perWindow, System.Action perTap, System.Action afterTaps)
        {
            using (c.Block($"for (int ci = 0; ci < {Channels}; ci++)"))
            using (c.Block($"for (int oh = 0; oh < {OutHeight}; oh++)"))
            using (c.Block($"for (int ow = 0; ow < {OutWidth}; ow++)"))
            {
                perWindow();
                using (c.Block($"for (int kh = 0; kh < {KernelH}; kh++)"))
                using (c.Block($"for (int kw = 0; kw < {KernelW}; kw++)"))
                    perTap();
                afterTaps();
            }
        }

        private const string PoolKernels = "global::ModelC.Runtime.Kernels.PoolKernels";

        /// <summary>The kernel's arguments after the spans: batch and geometry.</summary>
        private string Geometry => $"{(IsBatched ? "batch" : "1")}, {Channels}, {Height}, {Width}, {KernelH}, {StrideH}";

        /// <summary>Square max pooling runs in PoolKernels over the whole batch when its input is a span.</summary>
        public bool UsesKernel(EmitContext c) => Kind == PoolKind.Max && IsSquare && c.Region(X) is not null;

        /// <summary>True when no input is in two windows (stride at least the kernel), as LeNet's 2 x 2 pools by 2.</summary>
        public bool WindowsAreDisjoint => KernelH <= StrideH && KernelW <= StrideW;

        /// <summary>
        /// The backward pass of this pool and of <paramref name="relu"/> below it in one step (see
        /// Emit.Fusion.ReluUnderPool): the gradient goes straight to the relu's input, written rather
        /// than added when this step is the first to reach it (the kernel can always write it).
        /// </summary>
        public void EmitBackwardThroughRelu(EmitContext c, UnaryNode relu)
        {
            if (!c.WantsGradient(relu.X)) return;
            string overwrite = c.OverwritesGradient(this, relu.X) ? ", overwrite: true" : "";
            c.Line($"{PoolKernels}.MaxBackwardThroughRelu({c.Region(X)}, {c.Region(this)}, {c.Region(this, gradient: true)}, {c.Region(relu.X, gradient: true)}, {Geometry}{overwrite});");
        }

        private string AverageScale => EmitContext.Literal(1.0 / (KernelH * KernelW));

        public override void EmitForward(EmitContext c)
        {
            if (UsesKernel(c))
            {
                c.Line($"{PoolKernels}.MaxForward({c.Region(X)}, {c.Region(this)}, {Geometry});");
                return;
            }
            using (c.BatchLoop(this))
            {
                if (Kind == PoolKind.Max)
                    WindowLoops(c,
                        () => c.Line("float best = float.NegativeInfinity;"),
                        () => c.Line($"best = global::System.MathF.Max(best, {c.Value(X, InputIndex)});"),
                        () => c.Line($"{c.Value(this, OutputIndex)} = best;"));
                else
                    WindowLoops(c,
                        () => c.Line("float sum = 0f;"),
                        () => c.Line($"sum += {c.Value(X, InputIndex)};"),
                        () => c.Line($"{c.Value(this, OutputIndex)} = sum * {AverageScale};"));
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            if (UsesKernel(c))
            {
                c.Line($"{PoolKernels}.MaxBackward({c.Region(X)}, {c.Region(this)}, {c.Region(this, gradient: true)}, {c.Region(X, gradient: true)}, {Geometry});");
                return;
            }
            using (c.BatchLoop(this))
            using (c.Block($"for (int ci = 0; ci < {Channels}; ci++)"))
            using (c.Block($"for (int oh = 0; oh < {OutHeight}; oh++)"))
            using (c.Block($"for (int ow = 0; ow < {OutWidth}; ow++)"))
            {
                if (Kind == PoolKind.Max)
                {
                    // The whole gradient goes to the first maximal element of the window (the value
                    // the forward pass kept), so overlapping windows and ties need no stored index.
                    c.Line($"float best = {c.Value(this, OutputIndex)};");
                    c.Line($"float g = {c.Gradient(this, OutputIndex)};");
                    c.Line("bool found = false;");
                    using (c.Block($"for (int kh = 0; kh < {KernelH} && !found; kh++)"))
                    using (c.Block($"for (int kw = 0; kw < {KernelW}; kw++)"))
                        c.Line($"if ({c.Value(X, InputIndex)} == best) {{ {c.Gradient(X, InputIndex)} += g; found = true; break; }}");
                }
                else
                {
                    c.Line($"float g = {c.Gradient(this, OutputIndex)} * {AverageScale};");
                    using (c.Block($"for (int kh = 0; kh < {KernelH}; kh++)"))
                    using (c.Block($"for (int kw = 0; kw < {KernelW}; kw++)"))
                        c.Line($"{c.Gradient(X, InputIndex)} += g;");
                }
            }
        }
    }
}
