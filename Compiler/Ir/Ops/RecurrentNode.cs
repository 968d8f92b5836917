using System.Collections.Generic;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// One direction of one recurrent layer over a whole sequence x [T, F], computed by one call of
    /// a Runtime kernel per pass that loops over time itself, so the generated code does not grow
    /// with T: every step's hidden state, [T, H]. Weights follow PyTorch (weight_ih [G·H, F],
    /// weight_hh [G·H, H], bias_ih, bias_hh [G·H]). The state starts at zero, or at the per-example
    /// initial states [H] when given. A reverse layer reads x from its last step to its first
    /// (PyTorch's reverse direction of a bidirectional layer), and its row t is the state after it
    /// has read steps T-1 down to t.
    /// </summary>
    public abstract class RecurrentKernelNode : Node
    {
        protected RecurrentKernelNode(Node x, ParameterNode weightIh, ParameterNode weightHh, ParameterNode biasIh, ParameterNode biasHh, int hidden,
            SourceSpan span, bool reverse, IReadOnlyList<Node?> initialStates)
            : base(new Shape(x.Shape[0], hidden), x.IsBatched, Operands(x, weightIh, weightHh, biasIh, biasHh, initialStates), span)
        {
            Reverse = reverse;
        }

        private static Node[] Operands(Node x, Node weightIh, Node weightHh, Node biasIh, Node biasHh, IReadOnlyList<Node?> initialStates)
        {
            var inputs = new List<Node> { x, weightIh, weightHh, biasIh, biasHh };
            foreach (var state in initialStates)
                if (state is not null) inputs.Add(state);
            return inputs.ToArray();
        }

        public Node X => Inputs[0];
        public Node WeightIh => Inputs[1];
        public Node WeightHh => Inputs[2];
        public Node BiasIh => Inputs[3];
        public Node BiasHh => Inputs[4];
        public bool Reverse { get; }

        public int Steps => Shape[0];
        public int Hidden => Shape[1];
        public int Features => X.Shape[1];
        /// <summary>G·H: the rows of the weights (4 gates for an LSTM, 3 for a GRU, 1 for an RNN).</summary>
        protected int Gates => WeightIh.Shape[0];

        /// <summary>The products (the first step has no recurrent one from a zero state), then per step the elementwise work of the cell.</summary>
        protected long ProductFlops(bool initialState) =>
            2L * Steps * Gates * Features + 2L * (initialState ? Steps : Steps - 1) * Gates * Hidden;

        /// <summary>The runtime class whose Forward and Backward compute this layer.</summary>
        protected abstract string Kernels { get; }

        /// <summary>The layer's name for Describe: lstm, gru, rnn.</summary>
        protected abstract string Kind { get; }

        public override string Describe() => $"{Kind} {Features}->{Hidden} over {Steps} steps{(Reverse ? ", reversed" : "")}";

        /// <summary>The sizes every kernel call ends with: batch, steps, features, hidden.</summary>
        protected string Sizes => $"{(IsBatched ? "batch" : "1")}, {Steps}, {Features}, {Hidden}";

        protected static string Flag(bool value) => value ? "true" : "false";

        /// <summary>A state's values, or default for a zero one.</summary>
        protected static string Given(EmitContext c, Node? node) => node is not null ? c.Region(node)! : "default";

        /// <summary>A value's gradient span when one is wanted, or default (the kernel skips it).</summary>
        protected static string Wanted(EmitContext c, Node? node) => node is not null && c.WantsGradient(node) ? c.Region(node, gradient: true)! : "default";

        /// <summary>The inputs and weights of a forward call: x, weight_ih, weight_hh, bias_ih, bias_hh.</summary>
        protected string ForwardOperands(EmitContext c) =>
            $"{c.Region(X)}, {c.Region(WeightIh)}, {c.Region(WeightHh)}, {c.Region(BiasIh)}, {c.Region(BiasHh)}";

        /// <summary>The start of a backward call: the weights, this layer's output gradient and its two scratch regions.</summary>
        protected string BackwardOperands(EmitContext c, string? afterOutputGradient = null) =>
            $"{c.Region(WeightIh)}, {c.Region(WeightHh)}, {c.Region(this, gradient: true)}, {(afterOutputGradient is null ? "" : afterOutputGradient + ", ")}{c.ScratchRegion(this)}, {c.ScratchRegion(this, gradient: true)}";

        /// <summary>The parameter and input gradients of a backward call, in the kernels' order.</summary>
        protected string ParameterAndInputGradients(EmitContext c) =>
            $"{Wanted(c, WeightIh)}, {Wanted(c, WeightHh)}, {Wanted(c, BiasIh)}, {Wanted(c, BiasHh)}, {Wanted(c, X)}";
    }

    /// <summary>
    /// A GRU (r, z, n: n = tanh(W_in x + b_in + r·(W_hn h + b_hn)), h' = n + z·(h - n)) or an Elman
    /// RNN (h' = tanh(W_ih x + b_ih + W_hh h + b_hh)) over a whole sequence, through Runtime's
    /// GruKernels or RnnKernels; the state starts at h0 [H] per example when given.
    /// </summary>
    public sealed class RecurrentNode : RecurrentKernelNode
    {
        public RecurrentNode(string kind, Node x, ParameterNode weightIh, ParameterNode weightHh, ParameterNode biasIh, ParameterNode biasHh, int hidden,
            SourceSpan span, bool reverse = false, Node? initialHidden = null)
            : base(x, weightIh, weightHh, biasIh, biasHh, hidden, span, reverse, new[] { initialHidden })
        {
            IsGru = kind == "gru";
            InitialHidden = initialHidden;
        }

        /// <summary>A GRU; else a tanh RNN.</summary>
        public bool IsGru { get; }
        /// <summary>h0 [H] per example, or null for a zero one.</summary>
        public Node? InitialHidden { get; }

        protected override string Kind => IsGru ? "gru" : "rnn";
        protected override string Kernels => IsGru ? "global::ModelC.Runtime.Kernels.GruKernels" : "global::ModelC.Runtime.Kernels.RnnKernels";

        /// <summary>As GruKernels.ScratchSize (inputs, gates, recurrent candidates, states, one step's product) or RnnKernels.ScratchSize (inputs, h0, states).</summary>
        public override long ScratchSize => IsGru
            ? Ir.Sizes.Sum(Ir.Sizes.Product(Steps, Ir.Sizes.Sum(Features, Ir.Sizes.Product(6, Hidden))), 3L * Hidden)
            : Ir.Sizes.Sum(Ir.Sizes.Product(Steps, Ir.Sizes.Sum(Features, Hidden)), Hidden);

        /// <summary>The products, and per step the biases, nonlinearities and state update.</summary>
        public override long ForwardFlops => ProductFlops(InitialHidden is not null) + (long)Steps * (IsGru ? 12 * Hidden : 2 * Hidden);

        public override void EmitForward(EmitContext c) =>
            c.Line($"{Kernels}.Forward({ForwardOperands(c)}, {Given(c, InitialHidden)}, {c.Region(this)}, {c.ScratchRegion(this)}, {Sizes}, reverse: {Flag(Reverse)}, initialState: {Flag(InitialHidden is not null)});");

        public override void EmitBackward(EmitContext c)
        {
            c.Line($"{Kernels}.Backward({BackwardOperands(c)},");
            c.Line($"    {ParameterAndInputGradients(c)}, {Wanted(c, InitialHidden)}, {Sizes}, reverse: {Flag(Reverse)}, initialState: {Flag(InitialHidden is not null)});");
        }
    }
}
