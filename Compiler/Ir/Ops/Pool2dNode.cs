using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    public enum PoolKind { Max, Average }

    /// <summary>
    /// Max or average pooling of an image [C, H, W] over k×k windows moved by a stride, without
    /// padding (PyTorch's defaults): [C, OH, OW] with OH = floor((H - k) / stride) + 1.
    /// </summary>
    public sealed class Pool2dNode : Node
    {
        public Pool2dNode(PoolKind kind, Node x, int kernel, int stride, SourceSpan span)
            : base(new Shape(x.Shape[0], (x.Shape[1] - kernel) / stride + 1, (x.Shape[2] - kernel) / stride + 1), x.IsBatched, new[] { x }, span)
        {
            Kind = kind;
            Kernel = kernel;
            Stride = stride;
        }

        public PoolKind Kind { get; }
        public int Kernel { get; }
        public int Stride { get; }
        public Node X => Inputs[0];
        private int Channels => X.Shape[0];
        private int Height => X.Shape[1];
        private int Width => X.Shape[2];
        private int OutHeight => Shape[1];
        private int OutWidth => Shape[2];

        public override string Describe() => $"{(Kind == PoolKind.Max ? "maxpool2d" : "avgpool2d")} {Kernel}x{Kernel} stride {Stride}";

        private string InputIndex => $"ci * {Height * Width} + (oh * {Stride} + kh) * {Width} + ow * {Stride} + kw";
        private string OutputIndex => $"(ci * {OutHeight} + oh) * {OutWidth} + ow";

        private void WindowLoops(EmitContext c, System.Action perWindow, System.Action perTap, System.Action afterTaps)
        {
            using (c.Block($"for (int ci = 0; ci < {Channels}; ci++)"))
            using (c.Block($"for (int oh = 0; oh < {OutHeight}; oh++)"))
            using (c.Block($"for (int ow = 0; ow < {OutWidth}; ow++)"))
            {
                perWindow();
                using (c.Block($"for (int kh = 0; kh < {Kernel}; kh++)"))
                using (c.Block($"for (int kw = 0; kw < {Kernel}; kw++)"))
                    perTap();
                afterTaps();
            }
        }

        private const string PoolKernels = "global::ModelC.Runtime.Kernels.PoolKernels";

        /// <summary>The kernel's arguments after the spans: batch and geometry.</summary>
        private string Geometry => $"{(IsBatched ? "batch" : "1")}, {Channels}, {Height}, {Width}, {Kernel}, {Stride}";

        /// <summary>Max pooling runs in PoolKernels over the whole batch when its input is a span.</summary>
        private bool UsesKernel(EmitContext c) => Kind == PoolKind.Max && c.Region(X) is not null;

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
                        () => c.Line($"{c.Value(this, OutputIndex)} = sum * {EmitContext.Literal(1.0 / (Kernel * Kernel))};"));
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
                    using (c.Block($"for (int kh = 0; kh < {Kernel} && !found; kh++)"))
                    using (c.Block($"for (int kw = 0; kw < {Kernel}; kw++)"))
                        c.Line($"if ({c.Value(X, InputIndex)} == best) {{ {c.Gradient(X, InputIndex)} += g; found = true; break; }}");
                }
                else
                {
                    c.Line($"float g = {c.Gradient(this, OutputIndex)} * {EmitContext.Literal(1.0 / (Kernel * Kernel))};");
                    using (c.Block($"for (int kh = 0; kh < {Kernel}; kh++)"))
                    using (c.Block($"for (int kw = 0; kw < {Kernel}; kw++)"))
                        c.Line($"{c.Gradient(X, InputIndex)} += g;");
                }
            }
        }
    }
}
