using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>What the image layers share.</summary>
    public static class ImageLayers
    {
        /// <summary>Reports that a layer needs an image [C, H, W]; returns false for Layer.Accepts.</summary>
        public static bool NeedsImage(Binder binder, Layer layer, Node x, string inputText, SourceSpan span)
        {
            int side = (int)System.Math.Round(System.Math.Sqrt(x.Shape.Size));
            var example = side * side == x.Shape.Size ? $"[1, {side}, {side}]" : "[C, H, W]";
            binder.Diagnostics.ReportNotAnImage(span, layer.Name, layer.Kind, inputText, x.Shape, example);
            return false;
        }
    }

    /// <summary>conv2d(filters, kernel, stride: 1, padding: 0|same, bias: true): weight [filters, C, k, k], bias [filters].</summary>
    public sealed class Conv2dLayer : Layer
    {
        public Conv2dLayer(string name, int order, int filters, Window2d window, bool bias, Initializer? init, Initializer? biasInit = null)
            : base(name, "conv2d", order)
        {
            Filters = filters;
            Window = window;
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
            if (x.Shape.Rank != 3) return ImageLayers.NeedsImage(binder, this, x, inputText, span);
            if (!x.IsBatched)
                return Reject(binder, span, $"shape mismatch: {Name} (conv2d) acts on per-example images, but {inputText} does not depend on any input");
            int h = x.Shape[1], w = x.Shape[2];
            return Window.Fits(h, w) || Reject(binder, span,
                $"shape mismatch: {Name} (conv2d) has a {Window.KernelH}x{Window.KernelW} kernel, larger than {inputText}'s " +
                $"{(long)h + Window.PadTop + Window.PadBottom}x{(long)w + Window.PadLeft + Window.PadRight} padded image {x.Shape}");
        }

        protected override int? InFeatures(Shape input) => input[0];

        protected override string DescribeInFeatures(int channels) => $"{channels} channels";

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int channels = input[0];
            int fanIn = channels * Window.KernelH * Window.KernelW, fanOut = Filters * Window.KernelH * Window.KernelW;
            Parameters.Add(Parameter(binder, "weight", new Shape(Filters, channels, Window.KernelH, Window.KernelW),
                Init ?? Initializer.FanInUniform(fanIn), fanIn, fanOut, span));
            if (HasBias)
                Parameters.Add(Parameter(binder, "bias", new Shape(Filters), BiasInit ?? Initializer.FanInUniform(fanIn), fanIn, fanOut, span));
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span) =>
            binder.Add(new Conv2dNode(x, Parameters[0], HasBias ? Parameters[1] : null, Window, span));
    }

    /// <summary>maxpool2d(k, stride: k) and avgpool2d(k, stride: k) on an image [C, H, W]; no parameters.</summary>
    public sealed class Pool2dLayer : Layer
    {
        public Pool2dLayer(string name, int order, PoolKind pool, int kernel, int stride)
            : base(name, pool == PoolKind.Max ? "maxpool2d" : "avgpool2d", order)
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
            if (x.Shape.Rank != 3) return ImageLayers.NeedsImage(binder, this, x, inputText, span);
            return (x.Shape[1] >= Kernel && x.Shape[2] >= Kernel) || Reject(binder, span,
                $"shape mismatch: {Name} ({Kind}) pools {Kernel}x{Kernel} windows, larger than {inputText}'s {x.Shape[1]}x{x.Shape[2]} image {x.Shape}");
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span) => binder.Add(new Pool2dNode(Pool, x, Kernel, Stride, span));
    }

    /// <summary>layernorm(init:, bias_init:): normalizes the last axis; weight (ones) and bias (zeros) of its length, as torch.nn.LayerNorm.</summary>
    public sealed class LayerNormLayer : Layer
    {
        public LayerNormLayer(string name, int order, Initializer? init = null, Initializer? biasInit = null) : base(name, "layernorm", order)
        {
            Init = init;
            BiasInit = biasInit;
        }

        public Initializer? Init { get; }
        public Initializer? BiasInit { get; }

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span) =>
            x.Shape.Rank > 0 || Reject(binder, span, $"shape mismatch: {Name} (layernorm) normalizes the last axis, but {inputText} is a scalar");

        protected override int? InFeatures(Shape input) => input.Last;

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int features = input.Last;
            Parameters.Add(Parameter(binder, "weight", new Shape(features), Init ?? Initializer.Ones, features, features, span));
            Parameters.Add(Parameter(binder, "bias", new Shape(features), BiasInit ?? Initializer.Zeros, features, features, span));
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span) => binder.Add(new LayerNormNode(x, Parameters[0], Parameters[1], span));
    }

    /// <summary>
    /// batchnorm(init:, bias_init:): normalizes axis 0 (channels of [C, H, W], features of [F]) with batch statistics
    /// in training and running statistics in inference; weight (ones) and bias (zeros) are
    /// parameters, running_mean (zeros) and running_var (ones) are buffers, as torch.nn.BatchNorm2d.
    /// </summary>
    public sealed class BatchNormLayer : Layer
    {
        public BatchNormLayer(string name, int order, Initializer? init = null, Initializer? biasInit = null) : base(name, "batchnorm", order)
        {
            Init = init;
            BiasInit = biasInit;
        }

        /// <summary>The weight's initializer (null: ones); DCGAN draws it from normal(1, 0.02).</summary>
        public Initializer? Init { get; }
        public Initializer? BiasInit { get; }

        public System.Collections.Generic.List<BufferNode> Buffers { get; } = new System.Collections.Generic.List<BufferNode>();

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank == 0)
                return Reject(binder, span, $"shape mismatch: {Name} (batchnorm) normalizes channels or features, but {inputText} is a scalar");
            return x.IsBatched || Reject(binder, span, $"shape mismatch: {Name} (batchnorm) normalizes over the batch, but {inputText} does not depend on any input");
        }

        protected override int? InFeatures(Shape input) => input[0];

        protected override string DescribeInFeatures(int channels) => $"{channels} channels";

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int channels = input[0];
            Parameters.Add(Parameter(binder, "weight", new Shape(channels), Init ?? Initializer.Ones, channels, channels, span));
            Parameters.Add(Parameter(binder, "bias", new Shape(channels), BiasInit ?? Initializer.Zeros, channels, channels, span));
            Buffers.Add(binder.CreateBuffer($"{Name}.running_mean", new Shape(channels), 0f, span, Order, 0));
            Buffers.Add(binder.CreateBuffer($"{Name}.running_var", new Shape(channels), 1f, span, Order, 1));
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span) =>
            binder.Add(new BatchNormNode(x, Parameters[0], Parameters[1], Buffers[0], Buffers[1], span));
    }
}
