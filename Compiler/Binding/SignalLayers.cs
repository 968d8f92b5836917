using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// What the 1-D layers share: they act on signals [C, L] (channels first, as PyTorch's Conv1d),
    /// viewed as images [C, 1, L] so that the 2-D convolution and pooling nodes do the work.
    /// </summary>
    public static class SignalLayers
    {
        /// <summary>Reports that a layer needs a signal [C, L]; returns false for Layer.Accepts.</summary>
        public static bool NeedsSignal(Binder binder, Layer layer, Node x, string inputText, SourceSpan span)
        {
            string hint = x.Shape.Rank == 1 ? $"; reshape it first, e.g. reshape({inputText}, [1, {x.Shape[0]}])"
                : x.Shape.Rank == 2 ? "" : $"; a sequence of vectors [T, F] is transpose({inputText}) for channels first";
            binder.Diagnostics.ReportNotASignal(span, layer.Name, layer.Kind, inputText, x.Shape, hint);
            return false;
        }

        /// <summary>x [C, L] as the image [C, 1, L].</summary>
        public static Node AsImage(Binder binder, Node x, SourceSpan span) =>
            binder.Add(new ReshapeNode(x, new Shape(x.Shape[0], 1, x.Shape[1]), span));

        /// <summary>An image [C, 1, L] back as the signal [C, L].</summary>
        public static Node AsSignal(Binder binder, Node image, SourceSpan span) =>
            binder.Add(new ReshapeNode(image, new Shape(image.Shape[0], image.Shape[2]), span));
    }

    /// <summary>
    /// conv1d(filters, kernel, stride: 1, padding: 0|same, bias: true, init:, bias_init:) on [C, L]:
    /// weight [filters, C, kernel] and bias [filters] as torch.nn.Conv1d, lowered onto the 2-D
    /// convolution of [C, 1, L] with a 1×kernel window (the weight's layout is the same).
    /// </summary>
    public sealed class Conv1dLayer : Layer
    {
        public Conv1dLayer(string name, int order, int filters, int kernel, int stride, int padBefore, int padAfter, bool bias, Initializer? init, Initializer? biasInit)
            : base(name, "conv1d", order)
        {
            Filters = filters;
            Window = new Window2d(1, kernel, stride, 0, 0, padBefore, padAfter);
            HasBias = bias;
            Init = init;
            BiasInit = biasInit;
        }

        public int Filters { get; }
        public Window2d Window { get; }
        public bool HasBias { get; }
        public Initializer? Init { get; }
        public Initializer? BiasInit { get; }

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 2) return SignalLayers.NeedsSignal(binder, this, x, inputText, span);
            if (!x.IsBatched)
                return Reject(binder, span, $"shape mismatch: {Name} (conv1d) acts on per-example signals, but {inputText} does not depend on any input");
            return Window.Fits(1, x.Shape[1]) || Reject(binder, span,
                $"shape mismatch: {Name} (conv1d) has a kernel of {Window.KernelW}, longer than {inputText}'s padded length {x.Shape[1] + Window.PadLeft + Window.PadRight} ({x.Shape})");
        }

        protected override int? InFeatures(Shape input) => input[0];

        protected override string DescribeInFeatures(int channels) => $"{channels} channels";

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int channels = input[0], kernel = Window.KernelW;
            int fanIn = channels * kernel, fanOut = Filters * kernel;
            Parameters.Add(Parameter(binder, "weight", new Shape(Filters, channels, kernel), Init ?? Initializer.FanInUniform(fanIn), fanIn, fanOut, span));
            if (HasBias)
                Parameters.Add(Parameter(binder, "bias", new Shape(Filters), BiasInit ?? Initializer.FanInUniform(fanIn), fanIn, fanOut, span));
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span)
        {
            var image = SignalLayers.AsImage(binder, x, span);
            var conv = binder.Add(new Conv2dNode(image, Parameters[0], HasBias ? Parameters[1] : null, Window, span));
            return SignalLayers.AsSignal(binder, conv, span);
        }
    }

    /// <summary>maxpool1d(k, stride: k) and avgpool1d(k, stride: k) on [C, L]: windows of k along L, no padding.</summary>
    public sealed class Pool1dLayer : Layer
    {
        public Pool1dLayer(string name, int order, PoolKind pool, int kernel, int stride)
            : base(name, pool == PoolKind.Max ? "maxpool1d" : "avgpool1d", order)
        {
            Pool = pool;
            Kernel = kernel;
            Stride = stride;
        }

        public PoolKind Pool { get; }
        public int Kernel { get; }
        public int Stride { get; }

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 2) return SignalLayers.NeedsSignal(binder, this, x, inputText, span);
            return x.Shape[1] >= Kernel || Reject(binder, span,
                $"shape mismatch: {Name} ({Kind}) pools windows of {Kernel}, longer than {inputText}'s length {x.Shape[1]} ({x.Shape})");
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span)
        {
            var pooled = binder.Add(new Pool2dNode(Pool, SignalLayers.AsImage(binder, x, span), 1, Kernel, 1, Stride, span));
            return SignalLayers.AsSignal(binder, pooled, span);
        }
    }

    /// <summary>
    /// global_maxpool1d() and global_avgpool1d() on [C, L], global_maxpool2d() and global_avgpool2d()
    /// on [C, H, W]: the maximum or mean of each channel, [C] (PyTorch's x.amax(-1) or
    /// AdaptiveAvgPool2d(1) then flatten; Keras's GlobalMaxPooling1D with channels first).
    /// </summary>
    public sealed class GlobalPoolLayer : Layer
    {
        public GlobalPoolLayer(string name, int order, PoolKind pool, int dimensions)
            : base(name, $"global_{(pool == PoolKind.Max ? "max" : "avg")}pool{dimensions}d", order)
        {
            Pool = pool;
            Dimensions = dimensions;
        }

        public PoolKind Pool { get; }
        public int Dimensions { get; }

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (Dimensions == 1) return x.Shape.Rank == 2 || SignalLayers.NeedsSignal(binder, this, x, inputText, span);
            return x.Shape.Rank == 3 || ImageLayers.NeedsImage(binder, this, x, inputText, span);
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span)
        {
            var image = Dimensions == 1 ? SignalLayers.AsImage(binder, x, span) : x;
            int h = image.Shape[1], w = image.Shape[2];
            var pooled = binder.Add(new Pool2dNode(Pool, image, h, w, h, w, span));
            return binder.Add(new ReshapeNode(pooled, new Shape(x.Shape[0]), span));
        }
    }
}
