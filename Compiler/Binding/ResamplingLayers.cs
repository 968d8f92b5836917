using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// adaptive_avgpool2d(size) on [C, H, W]: [C, size, size], output cell (i, j) the mean of rows
    /// floor(i·H/size) to ceil((i+1)·H/size) and the same columns, as torch.nn.AdaptiveAvgPool2d.
    /// When size divides H and W that is plain average pooling, and it lowers onto it.
    /// </summary>
    public sealed class AdaptiveAvgPool2dLayer : Layer
    {
        public AdaptiveAvgPool2dLayer(string name, int order, int size) : base(name, "adaptive_avgpool2d", order)
        {
            Size = size;
        }

        public int Size { get; }

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 3) return ImageLayers.NeedsImage(binder, this, x, inputText, span);
            return (x.Shape[1] >= Size && x.Shape[2] >= Size) || Reject(binder, span,
                $"shape mismatch: {Name} (adaptive_avgpool2d) pools to {Size}x{Size}, larger than {inputText}'s {x.Shape[1]}x{x.Shape[2]} image {x.Shape}");
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span)
        {
            int h = x.Shape[1], w = x.Shape[2];
            if (h % Size == 0 && w % Size == 0)
                return binder.Add(new Pool2dNode(PoolKind.Average, x, h / Size, w / Size, h / Size, w / Size, span));
            return binder.Add(new AdaptiveAvgPool2dNode(x, Size, Size, span));
        }
    }

    /// <summary>upsample2d(scale) on [C, H, W]: [C, scale·H, scale·W], each pixel repeated scale×scale times (nn.Upsample's 'nearest').</summary>
    public sealed class Upsample2dLayer : Layer
    {
        public Upsample2dLayer(string name, int order, int scale) : base(name, "upsample2d", order)
        {
            Scale = scale;
        }

        public int Scale { get; }

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 3) return ImageLayers.NeedsImage(binder, this, x, inputText, span);
            if ((long)x.Shape.Size * Scale * Scale <= int.MaxValue) return true;
            binder.Diagnostics.ReportTooManyValuesPerExample(span, Name, "upsample2d");
            return false;
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span) => binder.Add(new Upsample2dNode(x, Scale, span));
    }

    /// <summary>
    /// conv_transpose2d(filters, kernel, stride: 1, padding: 0, output_padding: 0, bias: true, init:,
    /// bias_init:) on [C, H, W]: [filters, (H−1)·stride − 2·padding + kernel + output_padding, ...],
    /// weight [C, filters, k, k] and bias [filters] as torch.nn.ConvTranspose2d, whose default
    /// initialization (fan-in from the weight's second axis) is uniform(±1/√(filters·k·k)).
    /// </summary>
    public sealed class ConvTranspose2dLayer : Layer
    {
        public ConvTranspose2dLayer(string name, int order, int filters, int kernel, int stride, int padding, int outputPadding, bool bias, Initializer? init, Initializer? biasInit)
            : base(name, "conv_transpose2d", order)
        {
            Filters = filters;
            Kernel = kernel;
            Stride = stride;
            Padding = padding;
            OutputPadding = outputPadding;
            HasBias = bias;
            Init = init;
            BiasInit = biasInit;
        }

        public int Filters { get; }
        public int Kernel { get; }
        public int Stride { get; }
        public int Padding { get; }
        public int OutputPadding { get; }
        public bool HasBias { get; }
        public Initializer? Init { get; }
        public Initializer? BiasInit { get; }

        private long OutputSide(int side) => (long)(side - 1) * Stride - 2L * Padding + Kernel + OutputPadding;

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 3) return ImageLayers.NeedsImage(binder, this, x, inputText, span);
            if (!x.IsBatched)
                return Reject(binder, span, $"shape mismatch: {Name} (conv_transpose2d) acts on per-example images, but {inputText} does not depend on any input");
            long h = OutputSide(x.Shape[1]), w = OutputSide(x.Shape[2]);
            if (h < 1 || w < 1)
                return Reject(binder, span, $"shape mismatch: {Name} (conv_transpose2d) with padding {Padding} leaves no output of {inputText}'s {x.Shape[1]}x{x.Shape[2]} image {x.Shape}");
            if ((long)Filters * h * w <= int.MaxValue) return true;
            binder.Diagnostics.ReportTooManyValuesPerExample(span, Name, "conv_transpose2d");
            return false;
        }

        protected override int? InFeatures(Shape input) => input[0];

        protected override string DescribeInFeatures(int channels) => $"{channels} channels";

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int channels = input[0];
            // PyTorch computes a transposed convolution's fan-in from the weight's second axis.
            int fanIn = Filters * Kernel * Kernel, fanOut = channels * Kernel * Kernel;
            Parameters.Add(Parameter(binder, "weight", new Shape(channels, Filters, Kernel, Kernel), Init ?? Initializer.FanInUniform(fanIn), fanIn, fanOut, span));
            if (HasBias)
                Parameters.Add(Parameter(binder, "bias", new Shape(Filters), BiasInit ?? Initializer.FanInUniform(fanIn), fanIn, fanOut, span));
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span) =>
            binder.Add(new ConvTranspose2dNode(x, Parameters[0], HasBias ? Parameters[1] : null, Stride, Padding,
                (int)OutputSide(x.Shape[1]), (int)OutputSide(x.Shape[2]), OutputPadding, span));
    }
}
