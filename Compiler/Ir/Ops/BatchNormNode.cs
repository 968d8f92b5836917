using System;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// Non-trainable state of a layer that is saved with the weights but gets no gradient:
    /// batchnorm's running_mean and running_var. Lives in the model's buffer vector.
    /// </summary>
    public sealed class BufferNode : Node
    {
        public BufferNode(string name, Shape shape, float initialValue, SourceSpan span)
            : base(shape, batched: false, Array.Empty<Node>(), span)
        {
            Name = name;
            InitialValue = initialValue;
        }

        /// <summary>Every element's value after Initialize (0 for a running mean, 1 for a running variance).</summary>
        public float InitialValue { get; }
        public override StorageKind Storage => StorageKind.Buffer;
        public override bool IsLeaf => true;
        public override string Describe() => $"buffer {Name}";
        public override void EmitForward(EmitContext c) { }
        public override void EmitBackward(EmitContext c) { }
    }

    /// <summary>
    /// Batch normalization over axis 0 of each example (the channels of an image [C, H, W], the
    /// features of a vector), as torch.nn.BatchNorm1d/2d with momentum 0.1 and eps 1e-5.
    /// Training: each channel is normalized with the mean and biased variance of its values over
    /// the whole batch (and the other axes), and the running statistics move towards them, the
    /// variance unbiased. Inference: the running statistics normalize. Because batch statistics
    /// couple the examples, this op loops over channels outside the batch, and its backward pass
    /// carries the gradient through the batch mean and variance. Runtime's BatchNormKernels runs
    /// both passes eight lanes at a time.
    /// </summary>
    public sealed class BatchNormNode : Node
    {
        public const double Epsilon = 1e-5;
        public const double Momentum = 0.1;

        public BatchNormNode(Node x, ParameterNode weight, ParameterNode bias, BufferNode runningMean, BufferNode runningVar, SourceSpan span)
            : base(x.Shape, x.IsBatched, new Node[] { x, weight, bias, runningMean, runningVar }, span)
        {
        }

        public Node X => Inputs[0];
        public Node Weight => Inputs[1];
        public Node Bias => Inputs[2];
        public Node RunningMean => Inputs[3];
        public Node RunningVar => Inputs[4];
        private int Channels => Shape[0];
        /// <summary>Values per channel in one example (H·W for an image, 1 for a vector).</summary>
        private int Inner => Shape.Size / Channels;

        public override string Describe() => $"batchnorm over {Channels} channels";

        private string Index => Inner == 1 ? "ch" : $"ch * {Inner} + i";

        /// <summary>Loops over every value of channel ch in the batch (b is the example).</summary>
        private void ChannelValues(EmitContext c, Action body)
        {
            using (c.Block("for (int b = 0; b < batch; b++)"))
            {
                if (Inner == 1) { body(); return; }
                using (c.Block($"for (int i = 0; i < {Inner}; i++)")) body();
            }
        }

        /// <summary>Writes the channel's batch mean and biased variance into locals mean and variance; count is the number of values.</summary>
        private void EmitBatchStatistics(EmitContext c)
        {
            c.Line($"int count = batch * {Inner};");
            c.Line("float mean = 0f;");
            ChannelValues(c, () => c.Line($"mean += {c.Value(X, Index)};"));
            c.Line("mean /= count;");
            c.Line("float variance = 0f;");
            ChannelValues(c, () => c.Line($"{{ float d = {c.Value(X, Index)} - mean; variance += d * d; }}"));
            c.Line("variance /= count;");
        }

        private const string Kernels = "global::ModelC.Runtime.Kernels.BatchNormKernels";

        /// <summary>Runtime's BatchNormKernels computes a batched input with spans of its own; other inputs keep the generated scalar loops.</summary>
        private bool UsesKernels(EmitContext c) => X.IsBatched && c.Region(X) is not null && c.Region(this) is not null;

        private string KernelSizes => $"batch, {Channels}, {Inner}, {EmitContext.Literal(Epsilon)}";

        private void EmitBatchCheck(EmitContext c)
        {
            if (Inner == 1)
                c.Line("if (batch < 2) throw new global::System.ArgumentException(\"batchnorm needs more than one value per channel in training, so a batch of at least 2 examples\");");
        }

        public override void EmitForward(EmitContext c)
        {
            string eps = EmitContext.Literal(Epsilon), momentum = EmitContext.Literal(Momentum), keep = EmitContext.Literal(1 - Momentum);
            if (UsesKernels(c))
            {
                string statistics = $"{c.Region(Weight)}, {c.Region(Bias)}, {c.Region(RunningMean)}, {c.Region(RunningVar)}";
                using (c.Block("if (training)"))
                {
                    EmitBatchCheck(c);
                    c.Line($"{Kernels}.TrainingForward({c.Region(X)}, {statistics}, {c.Region(this)}, {KernelSizes}, {momentum});");
                }
                c.Line($"else {Kernels}.InferenceForward({c.Region(X)}, {statistics}, {c.Region(this)}, {KernelSizes});");
                return;
            }
            using (c.Block("if (training)"))
            {
                EmitBatchCheck(c);
                using (c.Block($"for (int ch = 0; ch < {Channels}; ch++)"))
                {
                    EmitBatchStatistics(c);
                    c.Line($"float rstd = 1f / global::System.MathF.Sqrt(variance + {eps});");
                    c.Line($"float scale = rstd * {c.Value(Weight, "ch")}, shift = {c.Value(Bias, "ch")} - mean * scale;");
                    ChannelValues(c, () => c.Line($"{c.Value(this, Index)} = {c.Value(X, Index)} * scale + shift;"));
                    // The running variance is the unbiased estimate, as PyTorch keeps it.
                    c.Line($"{c.Value(RunningMean, "ch")} = {keep} * {c.Value(RunningMean, "ch")} + {momentum} * mean;");
                    c.Line($"{c.Value(RunningVar, "ch")} = {keep} * {c.Value(RunningVar, "ch")} + {momentum} * variance * count / (count - 1);");
                }
            }
            using (c.Block("else"))
            using (c.Block($"for (int ch = 0; ch < {Channels}; ch++)"))
            {
                c.Line($"float scale = {c.Value(Weight, "ch")} / global::System.MathF.Sqrt({c.Value(RunningVar, "ch")} + {eps});");
                c.Line($"float shift = {c.Value(Bias, "ch")} - {c.Value(RunningMean, "ch")} * scale;");
                ChannelValues(c, () => c.Line($"{c.Value(this, Index)} = {c.Value(X, Index)} * scale + shift;"));
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            bool wantX = c.WantsGradient(X), wantW = c.WantsGradient(Weight), wantB = c.WantsGradient(Bias);
            if (!wantX && !wantW && !wantB) return;
            if (UsesKernels(c))
            {
                string Wanted(Node node, bool wanted) => wanted ? c.Region(node, gradient: true)! : "default";
                c.Line($"{Kernels}.Backward({c.Region(X)}, {c.Region(Weight)}, {c.Region(this, gradient: true)}, {Wanted(X, wantX)}, {Wanted(Weight, wantW)}, {Wanted(Bias, wantB)}, {KernelSizes});");
                return;
            }
            using (c.Block($"for (int ch = 0; ch < {Channels}; ch++)"))
            {
                // Backward follows a training forward, so the batch statistics are recomputed from x.
                EmitBatchStatistics(c);
                c.Line($"float rstd = 1f / global::System.MathF.Sqrt(variance + {EmitContext.Literal(Epsilon)});");
                c.Line("float sumG = 0f, sumGN = 0f;");
                ChannelValues(c, () =>
                {
                    c.Line($"float g = {c.Gradient(this, Index)};");
                    c.Line("sumG += g;");
                    c.Line($"sumGN += g * ({c.Value(X, Index)} - mean) * rstd;");
                });
                if (wantW) c.Line($"{c.Gradient(Weight, "ch")} += sumGN;");
                if (wantB) c.Line($"{c.Gradient(Bias, "ch")} += sumG;");
                if (!wantX) return;
                // With n the normalized value: dx = weight·rstd·(g - mean(g) - n·mean(g·n)), means over the batch.
                c.Line($"float scale = {c.Value(Weight, "ch")} * rstd;");
                c.Line("sumG /= count;");
                c.Line("sumGN /= count;");
                ChannelValues(c, () =>
                    c.Line($"{c.Gradient(X, Index)} += scale * ({c.Gradient(this, Index)} - sumG - ({c.Value(X, Index)} - mean) * rstd * sumGN);"));
            }
        }
    }
}
