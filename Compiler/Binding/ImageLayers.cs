using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>What the image layers share.</summary>
    public static class ImageLayers
    {
        /// <summary>Reports that a layer needs an image [C, H, W]; returns an error node.</summary>
        public static Node NeedsImage(Binder binder, Layer layer, Node x, string inputText, SourceSpan span)
        {
            layer.MarkAttempted();
            int side = (int)System.Math.Round(System.Math.Sqrt(x.Shape.Size));
            var example = side * side == x.Shape.Size ? $"[1, {side}, {side}]" : "[C, H, W]";
            binder.Diagnostics.Error(DiagnosticCatalog.ShapeMismatch, span,
                $"shape mismatch: {layer.Name} ({layer.Kind}) acts on images [C, H, W], but {inputText} is {x.Shape}; reshape it first, e.g. reshape({inputText}, {example})");
            return new ErrorNode(span);
        }
    }

    /// <summary>conv2d(filters, kernel, stride: 1, padding: 0|same, bias: true): weight [filters, C, k, k], bias [filters].</summary>
    public sealed class Conv2dLayer : Layer
    {
        public Conv2dLayer(string name, int order, int filters, Window2d window, bool bias, Initializer? init)
            : base(name, "conv2d", order)
        {
            Filters = filters;
            Window = window;
            HasBias = bias;
            Init = init;
        }

        public int Filters { get; }
        public Window2d Window { get; }
        public bool HasBias { get; }
        public Initializer? Init { get; }

        public override Node Apply(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 3) return ImageLayers.NeedsImage(binder, this, x, inputText, span);
            if (!x.IsBatched)
            {
                MarkAttempted();
                binder.Diagnostics.Error(DiagnosticCatalog.ShapeMismatch, span,
                    $"shape mismatch: {Name} (conv2d) acts on per-example images, but {inputText} does not depend on any input");
                return new ErrorNode(span);
            }
            int channels = x.Shape[0], h = x.Shape[1], w = x.Shape[2];
            if (!Window.Fits(h, w))
            {
                MarkAttempted();
                binder.Diagnostics.Error(DiagnosticCatalog.ShapeMismatch, span,
                    $"shape mismatch: {Name} (conv2d) has a {Window.KernelH}x{Window.KernelW} kernel, larger than {inputText}'s " +
                    $"{h + Window.PadTop + Window.PadBottom}x{w + Window.PadLeft + Window.PadRight} padded image {x.Shape}");
                return new ErrorNode(span);
            }
            if (!IsUsed)
            {
                IsUsed = true;
                FirstInputShape = x.Shape;
                int fanIn = channels * Window.KernelH * Window.KernelW, fanOut = Filters * Window.KernelH * Window.KernelW;
                Parameters.Add(binder.CreateParameter($"{Name}.weight", new Shape(Filters, channels, Window.KernelH, Window.KernelW),
                    Init ?? Initializer.FanInUniform(fanIn), fanIn, fanOut, span, Order, 0));
                if (HasBias)
                    Parameters.Add(binder.CreateParameter($"{Name}.bias", new Shape(Filters), Initializer.FanInUniform(fanIn), fanIn, fanOut, span, Order, 1));
            }
            else if (FirstInputShape![0] != channels)
            {
                binder.Diagnostics.Error(DiagnosticCatalog.LayerInputMismatch, span,
                    $"shape mismatch: {Name} expects {FirstInputShape[0]} channels but {inputText} is {x.Shape}");
                return new ErrorNode(span);
            }
            var node = binder.Add(new Conv2dNode(x, Parameters[0], HasBias ? Parameters[1] : null, Window, span));
            OutputShape ??= node.Shape;
            return node;
        }
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

        public override Node Apply(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 3) return ImageLayers.NeedsImage(binder, this, x, inputText, span);
            if (x.Shape[1] < Kernel || x.Shape[2] < Kernel)
            {
                MarkAttempted();
                binder.Diagnostics.Error(DiagnosticCatalog.ShapeMismatch, span,
                    $"shape mismatch: {Name} ({Kind}) pools {Kernel}x{Kernel} windows, larger than {inputText}'s {x.Shape[1]}x{x.Shape[2]} image {x.Shape}");
                return new ErrorNode(span);
            }
            IsUsed = true;
            FirstInputShape ??= x.Shape;
            var node = binder.Add(new Pool2dNode(Pool, x, Kernel, Stride, span));
            OutputShape ??= node.Shape;
            return node;
        }
    }

    /// <summary>layernorm(): normalizes the last axis; weight (ones) and bias (zeros) of its length, as torch.nn.LayerNorm.</summary>
    public sealed class LayerNormLayer : Layer
    {
        public LayerNormLayer(string name, int order) : base(name, "layernorm", order) { }

        public override Node Apply(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank == 0)
            {
                MarkAttempted();
                binder.Diagnostics.Error(DiagnosticCatalog.ShapeMismatch, span,
                    $"shape mismatch: {Name} (layernorm) normalizes the last axis, but {inputText} is a scalar");
                return new ErrorNode(span);
            }
            int features = x.Shape.Last;
            if (!IsUsed)
            {
                IsUsed = true;
                FirstInputShape = x.Shape;
                Parameters.Add(binder.CreateParameter($"{Name}.weight", new Shape(features), Initializer.Ones, features, features, span, Order, 0));
                Parameters.Add(binder.CreateParameter($"{Name}.bias", new Shape(features), Initializer.Zeros, features, features, span, Order, 1));
            }
            else if (FirstInputShape!.Last != features)
            {
                binder.Diagnostics.Error(DiagnosticCatalog.LayerInputMismatch, span,
                    $"shape mismatch: {Name} expects [{FirstInputShape.Last}] but {inputText} is {x.Shape}");
                return new ErrorNode(span);
            }
            var node = binder.Add(new LayerNormNode(x, Parameters[0], Parameters[1], span));
            OutputShape ??= node.Shape;
            return node;
        }
    }

    /// <summary>
    /// batchnorm(): normalizes axis 0 (channels of [C, H, W], features of [F]) with batch statistics
    /// in training and running statistics in inference; weight (ones) and bias (zeros) are
    /// parameters, running_mean (zeros) and running_var (ones) are buffers, as torch.nn.BatchNorm2d.
    /// </summary>
    public sealed class BatchNormLayer : Layer
    {
        public BatchNormLayer(string name, int order) : base(name, "batchnorm", order) { }

        public System.Collections.Generic.List<BufferNode> Buffers { get; } = new System.Collections.Generic.List<BufferNode>();

        public override Node Apply(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank == 0 || !x.IsBatched)
            {
                MarkAttempted();
                binder.Diagnostics.Error(DiagnosticCatalog.ShapeMismatch, span, x.Shape.Rank == 0
                    ? $"shape mismatch: {Name} (batchnorm) normalizes channels or features, but {inputText} is a scalar"
                    : $"shape mismatch: {Name} (batchnorm) normalizes over the batch, but {inputText} does not depend on any input");
                return new ErrorNode(span);
            }
            int channels = x.Shape[0];
            if (!IsUsed)
            {
                IsUsed = true;
                FirstInputShape = x.Shape;
                Parameters.Add(binder.CreateParameter($"{Name}.weight", new Shape(channels), Initializer.Ones, channels, channels, span, Order, 0));
                Parameters.Add(binder.CreateParameter($"{Name}.bias", new Shape(channels), Initializer.Zeros, channels, channels, span, Order, 1));
                Buffers.Add(binder.CreateBuffer($"{Name}.running_mean", new Shape(channels), 0f, span, Order, 0));
                Buffers.Add(binder.CreateBuffer($"{Name}.running_var", new Shape(channels), 1f, span, Order, 1));
            }
            else if (FirstInputShape![0] != channels)
            {
                binder.Diagnostics.Error(DiagnosticCatalog.LayerInputMismatch, span,
                    $"shape mismatch: {Name} expects {FirstInputShape[0]} channels but {inputText} is {x.Shape}");
                return new ErrorNode(span);
            }
            var node = binder.Add(new BatchNormNode(x, Parameters[0], Parameters[1], Buffers[0], Buffers[1], span));
            OutputShape ??= node.Shape;
            return node;
        }
    }
}
