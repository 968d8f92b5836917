using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// Nearest-neighbour upsampling of an image [C, H, W] by a whole factor s: y[c, i, j] =
    /// x[c, i / s, j / s], [C, s·H, s·W]. The gradient of a pixel is the sum over its s×s copies.
    /// </summary>
    public sealed class Upsample2dNode : Node
    {
        public Upsample2dNode(Node x, int scale, SourceSpan span)
            : base(new Shape(x.Shape[0], x.Shape[1] * scale, x.Shape[2] * scale), x.IsBatched, new[] { x }, span)
        {
            Scale = scale;
        }

        public int Scale { get; }
        public Node X => Inputs[0];

        public override string Describe() => $"upsample2d x{Scale} (nearest)";

        public override long ForwardFlops => 0;

        private void Loops(EmitContext c, System.Action body)
        {
            using (c.BatchLoop(this))
            using (c.Block($"for (int ci = 0; ci < {X.Shape[0]}; ci++)"))
            using (c.Block($"for (int ih = 0; ih < {X.Shape[1]}; ih++)"))
            using (c.Block($"for (int iw = 0; iw < {X.Shape[2]}; iw++)"))
                body();
        }

        private string InputIndex => $"(ci * {X.Shape[1]} + ih) * {X.Shape[2]} + iw";

        /// <summary>Output element (dh, dw) of the s×s block that input pixel (ih, iw) fills.</summary>
        private string OutputIndex => $"(ci * {Shape[1]} + ih * {Scale} + dh) * {Shape[2]} + iw * {Scale} + dw";

        public override void EmitForward(EmitContext c) => Loops(c, () =>
        {
            c.Line($"float v = {c.Value(X, InputIndex)};");
            using (c.Block($"for (int dh = 0; dh < {Scale}; dh++)"))
            using (c.Block($"for (int dw = 0; dw < {Scale}; dw++)"))
                c.Line($"{c.Value(this, OutputIndex)} = v;");
        });

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            Loops(c, () =>
            {
                c.Line("float g = 0f;");
                using (c.Block($"for (int dh = 0; dh < {Scale}; dh++)"))
                using (c.Block($"for (int dw = 0; dw < {Scale}; dw++)"))
                    c.Line($"g += {c.Gradient(this, OutputIndex)};");
                c.Line($"{c.Gradient(X, InputIndex)} += g;");
            });
        }
    }

    /// <summary>
    /// PyTorch's adaptive average pooling of [C, H, W] to [C, OH, OW]: output row i averages input
    /// rows floor(i·H/OH) up to ceil((i+1)·H/OH) (exclusive), columns likewise, so windows may
    /// differ in size and overlap by one when OH does not divide H.
    /// </summary>
    public sealed class AdaptiveAvgPool2dNode : Node
    {
        public AdaptiveAvgPool2dNode(Node x, int outHeight, int outWidth, SourceSpan span)
            : base(new Shape(x.Shape[0], outHeight, outWidth), x.IsBatched, new[] { x }, span) { }

        public Node X => Inputs[0];
        private int H => X.Shape[1];
        private int W => X.Shape[2];
        private int OH => Shape[1];
        private int OW => Shape[2];

        public override string Describe() => $"adaptive_avgpool2d {H}x{W}->{OH}x{OW}";

        public override long ForwardFlops => X.Shape.Size;

        /// <summary>Each output cell's window bounds (h0, h1) x (w0, w1) and its 1 / count.</summary>
        private void Windows(EmitContext c, System.Action body)
        {
            using (c.BatchLoop(this))
            using (c.Block($"for (int ci = 0; ci < {X.Shape[0]}; ci++)"))
            using (c.Block($"for (int oh = 0; oh < {OH}; oh++)"))
            {
                c.Line($"int h0 = oh * {H} / {OH}, h1 = ((oh + 1) * {H} + {OH - 1}) / {OH};");
                using (c.Block($"for (int ow = 0; ow < {OW}; ow++)"))
                {
                    c.Line($"int w0 = ow * {W} / {OW}, w1 = ((ow + 1) * {W} + {OW - 1}) / {OW};");
                    c.Line("float scale = 1f / ((h1 - h0) * (w1 - w0));");
                    body();
                }
            }
        }

        private string InputIndex => $"(ci * {H} + ih) * {W} + iw";
        private string OutputIndex => $"(ci * {OH} + oh) * {OW} + ow";

        public override void EmitForward(EmitContext c) => Windows(c, () =>
        {
            c.Line("float sum = 0f;");
            using (c.Block("for (int ih = h0; ih < h1; ih++)"))
            using (c.Block("for (int iw = w0; iw < w1; iw++)"))
                c.Line($"sum += {c.Value(X, InputIndex)};");
            c.Line($"{c.Value(this, OutputIndex)} = sum * scale;");
        });

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            Windows(c, () =>
            {
                c.Line($"float g = {c.Gradient(this, OutputIndex)} * scale;");
                using (c.Block("for (int ih = h0; ih < h1; ih++)"))
                using (c.Block("for (int iw = w0; iw < w1; iw++)"))
                    c.Line($"{c.Gradient(X, InputIndex)} += g;");
            });
        }
    }

    /// <summary>
    /// A transposed convolution (PyTorch's ConvTranspose2d) of [C, H, W] with a weight
    /// [C, O, k, k] and an optional bias [O], giving [O, OH, OW] with OH = (H−1)·s − 2p + k +
    /// output_padding. It is the input gradient of the convolution from [O, OH, OW] to [C, H, W]
    /// with that same weight (read as [C filters, O channels, k, k]), stride s and padding p, so
    /// ConvKernels runs both passes: the forward pass is that convolution's input-gradient product,
    /// the input gradient is its forward product, and the weight gradient is its weight gradient,
    /// with no zero-interleaved input.
    /// </summary>
    public sealed class ConvTranspose2dNode : Node
    {
        private const string Kernels = "global::ModelC.Runtime.Kernels.ConvKernels";

        public ConvTranspose2dNode(Node x, ParameterNode weight, ParameterNode? bias, int stride, int padding, int outHeight, int outWidth, int outputPadding, SourceSpan span)
            : base(new Shape(weight.Shape[1], outHeight, outWidth), x.IsBatched,
                bias is null ? new Node[] { x, weight } : new Node[] { x, weight, bias }, span)
        {
            Stride = stride;
            Padding = padding;
            OutputPadding = outputPadding;
        }

        public int Stride { get; }
        public int Padding { get; }
        public int OutputPadding { get; }
        public Node X => Inputs[0];
        public Node Weight => Inputs[1];
        public Node? Bias => Inputs.Count > 2 ? Inputs[2] : null;
        public int Kernel => Weight.Shape[2];
        private int Channels => X.Shape[0];
        private int Filters => Shape[0];

        /// <summary>The convolution this one transposes: from the output [O, OH, OW] back to the input [C, H, W].</summary>
        private string Geometry =>
            $"new global::ModelC.Runtime.Kernels.Conv2dGeometry({Filters}, {Shape[1]}, {Shape[2]}, {Channels}, {Kernel}, {Kernel}, " +
            $"{Stride}, {Padding}, {Padding}, {X.Shape[1]}, {X.Shape[2]})";

        /// <summary>That convolution's scratch per example (as Conv2dGeometry.ScratchSize).</summary>
        private long KernelScratch
        {
            get
            {
                long taps = Sizes.Product(Filters, Kernel, Kernel), outH = X.Shape[1], outW = X.Shape[2];
                long weights = Sizes.Sum(Sizes.Product(Channels, taps), Channels);
                if (Stride != 1) return Sizes.Sum(Sizes.Product(taps, outH, outW), weights);
                long paddedHeight = outH + Kernel - 1, paddedWidth = outW + Kernel - 1;
                bool padded = Padding != 0 || paddedHeight != Shape[1] || paddedWidth != Shape[2];
                long columns = Sizes.Sum(Sizes.Product(outH - 1, paddedWidth), outW);
                long image = padded ? Sizes.Product(Filters, paddedHeight, paddedWidth) : 0;
                return Sizes.Sum(Sizes.Sum(image, Sizes.Product(Sizes.Sum(Channels, taps), columns)), weights);
            }
        }

        /// <summary>The kernel's scratch, then room for the input gradient before it is added into x's.</summary>
        public override long ScratchSize => Sizes.Sum(KernelScratch, X.Shape.Size);

        public override long ForwardFlops => 2L * X.Shape.Size * Filters * Kernel * Kernel;

        public override string Describe() =>
            $"conv_transpose2d {Channels}->{Filters} {Kernel}x{Kernel} stride {Stride}" + (Padding > 0 ? $" padding {Padding}" : "") +
            (OutputPadding > 0 ? $" output_padding {OutputPadding}" : "");

        private string Batch => IsBatched ? "batch" : "1";

        private string KernelScratchOf(EmitContext c, bool gradient) => $"{c.ScratchRegion(this, gradient)}.Slice(0, {Batch} * {KernelScratch})";

        public override void EmitForward(EmitContext c)
        {
            string output = c.Region(this)!;
            string scratch = KernelScratchOf(c, gradient: false);
            // The input-gradient product accumulates: start from zeros.
            c.Line($"{output}.Clear();");
            c.Line($"{Kernels}.Backward(default, {c.Region(Weight)}, {c.Region(X)}, {scratch}, {scratch}, default, default, {output}, {Batch}, {Geometry});");
            if (Bias is null) return;
            using (c.BatchLoop(this))
            using (c.Block($"for (int o = 0; o < {Filters}; o++)"))
            {
                c.Line($"float bias = {c.Value(Bias, "o")};");
                using (c.Block($"for (int p = 0; p < {Shape[1] * Shape[2]}; p++)"))
                    c.Line($"{c.Value(this, $"o * {Shape[1] * Shape[2]} + p")} += bias;");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            bool input = c.WantsGradient(X), weight = c.WantsGradient(Weight);
            string gradient = c.Region(this, gradient: true)!;
            if (input || weight)
            {
                string scratch = KernelScratchOf(c, gradient: false);
                string inputGradient = $"{c.ScratchRegion(this)}.Slice({Batch} * {KernelScratch}, {Batch} * {X.Shape.Size})";
                // The transposed convolution's input gradient is the forward convolution of its output gradient.
                c.Line($"{Kernels}.Forward({gradient}, {c.Region(Weight)}, default, {inputGradient}, {scratch}, {Batch}, {Geometry});");
                if (input)
                    c.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add({c.Region(X, gradient: true)}, {inputGradient}, {c.Region(X, gradient: true)});");
                if (weight)
                    c.Line($"{Kernels}.Backward({gradient}, {c.Region(Weight)}, {c.Region(X)}, {scratch}, {KernelScratchOf(c, gradient: true)}, {c.Region(Weight, gradient: true)}, default, default, {Batch}, {Geometry});");
            }
            if (Bias is null || !c.WantsGradient(Bias)) return;
            using (c.BatchLoop(this))
            using (c.Block($"for (int o = 0; o < {Filters}; o++)"))
            {
                c.Line("float sum = 0f;");
                using (c.Block($"for (int p = 0; p < {Shape[1] * Shape[2]}; p++)"))
                    c.Line($"sum += {c.Gradient(this, $"o * {Shape[1] * Shape[2]} + p")};");
                c.Line($"{c.Gradient(Bias, "o")} += sum;");
            }
        }
    }
}
