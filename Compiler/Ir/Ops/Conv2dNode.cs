using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>The geometry of a 2-D window sliding over an image: kernel, stride and zero padding per side.</summary>
    public sealed record Window2d(int KernelH, int KernelW, int Stride, int PadTop, int PadBottom, int PadLeft, int PadRight)
    {
        /// <summary>Output rows for an input of height h: floor((h + padding - kernel) / stride) + 1, as PyTorch.</summary>
        // In long: a padding near int's range must read as too large (MC1023), not wrap.
        public int OutputHeight(int h) => Sizes.Dimension(((long)h + PadTop + PadBottom - KernelH) / Stride + 1);
        public int OutputWidth(int w) => Sizes.Dimension(((long)w + PadLeft + PadRight - KernelW) / Stride + 1);
        /// <summary>True when the kernel fits in the padded input at least once.</summary>
        public bool Fits(int h, int w) => (long)h + PadTop + PadBottom >= KernelH && (long)w + PadLeft + PadRight >= KernelW;
        public bool IsPadded => PadTop != 0 || PadBottom != 0 || PadLeft != 0 || PadRight != 0;
    }

    /// <summary>
    /// A 2-D convolution (PyTorch's cross-correlation) of an image [C, H, W] with a weight
    /// [O, C, KH, KW] and an optional bias [O], giving [O, OH, OW]. The generated code hands the
    /// whole batch to ModelC.Runtime.Kernels.ConvKernels with the layer's compile-time geometry.
    /// Every kernel tap (c, kh, kw) is one row of a [C·KH·KW, columns] matrix of taps, so the
    /// convolution is the product weight · taps and the backward pass two more products,
    /// dW += g · tapsᵀ and dtaps = Wᵀ · g, added back into dx. At stride 1 the tap rows are read
    /// straight from the image (from a zero-padded copy when padded), with no copy per tap; other
    /// strides first copy them into an im2col matrix [C·KH·KW, OH·OW] (and col2im adds dcol back).
    /// The kernels share the examples across threads with results independent of the thread count.
    /// </summary>
    public sealed class Conv2dNode : Node
    {
        private const string Kernels = "global::ModelC.Runtime.Kernels.ConvKernels";

        public Conv2dNode(Node x, ParameterNode weight, ParameterNode? bias, Window2d window, SourceSpan span)
            : base(new Shape(weight.Shape[0], window.OutputHeight(x.Shape[1]), window.OutputWidth(x.Shape[2])), x.IsBatched,
                bias is null ? new Node[] { x, weight } : new Node[] { x, weight, bias }, span)
        {
            Window = window;
        }

        public Window2d Window { get; }
        public Node X => Inputs[0];
        public Node Weight => Inputs[1];
        public Node? Bias => Inputs.Count > 2 ? Inputs[2] : null;
        private int Channels => X.Shape[0];
        private int Filters => Shape[0];
        private int Pixels => Shape[1] * Shape[2];
        /// <summary>Rows of the tap matrix: one per (channel, kh, kw) tap.</summary>
        private int Taps => Channels * Window.KernelH * Window.KernelW;

        /// <summary>Multiply-adds of one example's forward pass: every output value sums one product per tap.</summary>
        public long MultiplyAdds => (long)Shape.Size * Taps;

        /// <summary>
        /// Per example, as Conv2dGeometry.ScratchSize (which the kernels check against the span):
        /// stride 1 reads taps straight from the (padded) image, with room for the padded image, the
        /// output rows and the tap gradients; other strides keep an im2col matrix [taps, OH·OW].
        /// Both end with room for one weight and bias gradient partial.
        /// </summary>
        public override long ScratchSize
        {
            get
            {
                long taps = Sizes.Product(Channels, Window.KernelH, Window.KernelW), weights = Sizes.Sum(Sizes.Product(Filters, taps), Filters);
                if (Window.Stride != 1) return Sizes.Sum(Sizes.Product(taps, Sizes.Product(Shape[1], Shape[2])), weights);
                long paddedHeight = (long)Shape[1] + Window.KernelH - 1, paddedWidth = (long)Shape[2] + Window.KernelW - 1;
                bool padded = Window.PadTop != 0 || Window.PadLeft != 0 || paddedHeight != X.Shape[1] || paddedWidth != X.Shape[2];
                long columns = Sizes.Sum(Sizes.Product(Shape[1] - 1L, paddedWidth), Shape[2]);
                long image = padded ? Sizes.Product(Channels, paddedHeight, paddedWidth) : 0;
                return Sizes.Sum(Sizes.Sum(image, Sizes.Product(Sizes.Sum(Filters, taps), columns)), weights);
            }
        }

        public override long ForwardFlops => 2L * MultiplyAdds;

        public override string Describe() =>
            $"conv2d {Channels}->{Filters} {Window.KernelH}x{Window.KernelW} stride {Window.Stride}" +
            (Window.IsPadded ? $" padding {Window.PadTop},{Window.PadBottom},{Window.PadLeft},{Window.PadRight}" : "");

        private string Geometry =>
            $"new global::ModelC.Runtime.Kernels.Conv2dGeometry({Channels}, {X.Shape[1]}, {X.Shape[2]}, {Filters}, {Window.KernelH}, {Window.KernelW}, " +
            $"{Window.Stride}, {Window.PadTop}, {Window.PadLeft}, {Shape[1]}, {Shape[2]})";

        private string Batch => IsBatched ? "batch" : "1";

        public override void EmitForward(EmitContext c) => EmitForward(c, relu: null, writeOutput: true);

        /// <summary>
        /// The forward pass; with <paramref name="relu"/> (see Emit.Fusion.ReluAfterConv) the kernel
        /// writes its values too, and without <paramref name="writeOutput"/> (nothing reads this
        /// layer's own values, Emit.Fusion.ConvOutputUnread) only the relu's.
        /// </summary>
        public void EmitForward(EmitContext c, UnaryNode? relu, bool writeOutput)
        {
            string output = writeOutput || relu is null ? c.Region(this)! : "default";
            string reluRegion = relu is null ? "default" : c.Region(relu)!;
            c.Line($"{Kernels}.Forward({c.Region(X)}, {c.Region(Weight)}, {BiasRegion(c)}, {output}, {reluRegion}, {c.ScratchRegion(this)}, {Batch}, {Geometry}, {PackedWeight(c)});");
        }

        /// <summary>
        /// The forward pass of this convolution, its <paramref name="relu"/> and the max
        /// <paramref name="pool"/> over it (see Emit.Fusion.PoolAfterConvRelu): training stores the
        /// relu's values for the pool's backward step, inference has the kernel pool as it goes.
        /// </summary>
        public void EmitForward(EmitContext c, UnaryNode relu, Pool2dNode pool)
        {
            using (c.Block("if (training)"))
            {
                EmitForward(c, relu, writeOutput: false);
                pool.EmitForward(c);
            }
            using (c.Block("else"))
                c.Line($"{Kernels}.ForwardReluMaxPool({c.Region(X)}, {c.Region(Weight)}, {BiasRegion(c)}, {c.Region(relu)}, {c.Region(pool)}, {c.ScratchRegion(this)}, {Batch}, {Geometry}, " +
                    $"{pool.KernelH}, {pool.StrideH}, {PackedWeight(c)});");
        }

        private string BiasRegion(EmitContext c) => Bias is null ? "default" : c.Region(Bias)!;

        // Inference keeps the weight in the layout its kernel reads (ConvKernels' pixel blocks), as the dense layers do.
        private string PackedWeight(EmitContext c) => c.PackedWeightArguments((ParameterNode)Weight);

        public override void EmitBackward(EmitContext c)
        {
            string weightGradient = c.WantsGradient(Weight) ? c.Region(Weight, gradient: true)! : "default";
            string biasGradient = Bias is not null && c.WantsGradient(Bias) ? c.Region(Bias, gradient: true)! : "default";
            string inputGradient = c.WantsGradient(X) ? c.Region(X, gradient: true)! : "default";
            c.Line($"{Kernels}.Backward({c.Region(X)}, {c.Region(Weight)}, {c.Region(this, gradient: true)}, {c.ScratchRegion(this)}, {c.ScratchRegion(this, gradient: true)},");
            c.Line($"    {weightGradient}, {biasGradient}, {inputGradient}, {Batch}, {Geometry});");
        }
    }
}
