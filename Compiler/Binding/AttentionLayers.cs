using System;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// multihead_attention(heads, causal: false, bias: true): self-attention over a sequence
    /// float[T, E] per example, as torch.nn.MultiheadAttention(E, heads, batch_first=True)(x, x, x)
    /// with its parameters: in_proj_weight [3E, E] (queries, keys and values stacked, xavier
    /// uniform), in_proj_bias [3E] (zeros), out_proj.weight [E, E] (uniform ±1/√E) and
    /// out_proj.bias [E] (zeros). With causal: true, position t attends only to positions up to t
    /// (the attention mask generate_square_subsequent_mask(T)). It lowers to one dense product for
    /// q, k and v, one fused attention node over every head (Runtime's AttentionKernels) and the
    /// output projection; a batch-wide input lowers to primitives instead (a permutation into
    /// heads, two batched products around a softmax, the heads permuted back).
    /// </summary>
    public sealed class MultiheadAttentionLayer : Layer
    {
        public MultiheadAttentionLayer(string name, int order, int heads, bool causal, bool bias) : base(name, "multihead_attention", order)
        {
            Heads = heads;
            IsCausal = causal;
            HasBias = bias;
        }

        public int Heads { get; }
        public bool IsCausal { get; }
        public bool HasBias { get; }

        private ParameterNode InWeight => Parameters[0];
        private ParameterNode? InBias => HasBias ? Parameters[1] : null;
        private ParameterNode OutWeight => Parameters[HasBias ? 2 : 1];
        private ParameterNode? OutBias => HasBias ? Parameters[3] : null;

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 2)
                return Reject(binder, span, $"shape mismatch: {Name} (multihead_attention) acts on a sequence float[T, E], but {inputText} is {x.Shape}");
            if (x.Shape[1] % Heads != 0)
                return Reject(binder, span,
                    $"shape mismatch: {Name} (multihead_attention) splits the {x.Shape[1]} features of {inputText} {x.Shape} into {Heads} heads, but {x.Shape[1]} is not a multiple of {Heads}");
            if (3L * x.Shape[1] * x.Shape[1] <= int.MaxValue) return true;
            binder.Diagnostics.ReportTooManyWeights(span, Name, "multihead_attention", "in its input projection");
            return false;
        }

        protected override int? InFeatures(Shape input) => input.Last;

        protected override string DescribeInFeatures(int features) => $"[T, {features}]";

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int e = input[1];
            // PyTorch's _reset_parameters: xavier_uniform_ on in_proj_weight (fan_in E, fan_out 3E), zero biases,
            // and out_proj keeps nn.Linear's uniform(±1/√E) weight.
            Parameters.Add(Parameter(binder, "in_proj_weight", new Shape(3 * e, e), Initializer.Xavier, e, 3 * e, span));
            if (HasBias) Parameters.Add(Parameter(binder, "in_proj_bias", new Shape(3 * e), Initializer.Zeros, e, 3 * e, span));
            Parameters.Add(Parameter(binder, "out_proj.weight", new Shape(e, e), Initializer.FanInUniform(e), e, e, span));
            if (HasBias) Parameters.Add(Parameter(binder, "out_proj.bias", new Shape(e), Initializer.Zeros, e, e, span));
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span)
        {
            int t = x.Shape[0], e = x.Shape[1], d = e / Heads, size = Heads * t * d;
            Node Named(Node node, string what)
            {
                node.Name ??= $"{Name}.{what}";
                return node;
            }

            // [T, 3E] = x W_in^T + b_in, viewed [T, 3, H, D] and reordered [3, H, T, D]: q, k and v, head by head.
            var projected = Named(binder.Add(new LinearNode(x, InWeight, InBias, new Shape(t, 3 * e), span)), "in_proj");
            if (projected.IsBatched)
            {
                // One fused pass of every head per example: the same values as the primitives below, without
                // storing the heads permuted, the scores or the masked scores.
                var attended = Named(binder.Add(new AttentionNode(projected, Heads, IsCausal, span)), "context");
                return binder.Add(new LinearNode(attended, OutWeight, OutBias, new Shape(t, e), span));
            }

            // A batch-wide input (the same sequence for every example) keeps the primitives.
            var split = binder.Add(new ReshapeNode(projected, new Shape(t, 3, Heads, d), span));
            var byHead = Named(binder.Add(PermuteNode.Create(split, new[] { 1, 2, 0, 3 }, span)!), "heads");
            Node Part(int k, string what) =>
                Named(binder.Add(new SliceNode(byHead, k * size, new Shape(Heads, t, d), $"{what} of {Name} ->", span)), what);
            var q = Part(0, "q");
            var k = Part(1, "k");
            var v = Part(2, "v");

            // softmax(q k^T / √D (+ mask)) v, one [T, T] product per head.
            var scaled = binder.Elementwise(BinaryFunctions.Multiply, q, binder.Constant(1 / Math.Sqrt(d), span), span);
            var keys = binder.Add(PermuteNode.Create(k, new[] { 0, 2, 1 }, span)!);
            Node scores = Named(binder.Add(MatMulNode.Create(scaled, keys, span, _ => { })), "scores");
            if (IsCausal) scores = binder.Elementwise(BinaryFunctions.Add, scores, binder.Add(new CausalMaskNode(t, span)), span);
            var weights = Named(binder.Add(new SoftmaxNode(scores, log: false, span)), "weights");
            var context = binder.Add(MatMulNode.Create(weights, v, span, _ => { }));

            // The heads side by side again: [H, T, D] -> [T, H, D] -> [T, E], then the output projection.
            var merged = binder.Add(new ReshapeNode(binder.Add(PermuteNode.Create(context, new[] { 1, 0, 2 }, span)!), new Shape(t, e), span));
            return binder.Add(new LinearNode(Named(merged, "context"), OutWeight, OutBias, new Shape(t, e), span));
        }
    }
}
