using System.Collections.Generic;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// One direction of one LSTM layer over a whole sequence x [T, F]: every step's hidden state,
    /// [T, H]. Gates = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh in PyTorch's order i, f, g, o;
    /// c_t = f·c_{t-1} + i·g, h_t = o·tanh(c_t). The state starts at zero, or at the per-example
    /// h0 and c0 [H] when given. A reverse layer reads x from its last step to its first (PyTorch's
    /// reverse direction of a bidirectional layer), and its row t is the state after it has read
    /// steps T-1 down to t. One call of Runtime's LstmKernels per pass, which loops over time
    /// itself: the generated code does not grow with T.
    /// </summary>
    public sealed class LstmNode : Node
    {
        private const string Kernels = "global::ModelC.Runtime.Kernels.LstmKernels";

        public LstmNode(Node x, ParameterNode weightIh, ParameterNode weightHh, ParameterNode biasIh, ParameterNode biasHh, int hidden, SourceSpan span,
            bool reverse = false, Node? initialHidden = null, Node? initialCell = null)
            : base(new Shape(x.Shape[0], hidden), x.IsBatched, Operands(x, weightIh, weightHh, biasIh, biasHh, initialHidden, initialCell), span)
        {
            Reverse = reverse;
            InitialHidden = initialHidden;
            InitialCell = initialCell;
        }

        private static Node[] Operands(Node x, Node weightIh, Node weightHh, Node biasIh, Node biasHh, Node? initialHidden, Node? initialCell)
        {
            var inputs = new List<Node> { x, weightIh, weightHh, biasIh, biasHh };
            if (initialHidden is not null) inputs.Add(initialHidden);
            if (initialCell is not null) inputs.Add(initialCell);
            return inputs.ToArray();
        }

        public Node X => Inputs[0];
        public Node WeightIh => Inputs[1];
        public Node WeightHh => Inputs[2];
        public Node BiasIh => Inputs[3];
        public Node BiasHh => Inputs[4];
        public bool Reverse { get; }
        /// <summary>h0 [H] per example, or null for a zero one.</summary>
        public Node? InitialHidden { get; }
        /// <summary>c0 [H] per example, or null for a zero one.</summary>
        public Node? InitialCell { get; }
        private bool HasInitialState => InitialHidden is not null || InitialCell is not null;

        /// <summary>
        /// The node that exposes this layer's final cell state (last_cell), once one asks for it: the
        /// kernel writes that value in the forward pass and reads its gradient in the backward pass.
        /// </summary>
        public LstmFinalCellNode? FinalCell { get; private set; }

        /// <summary>The final cell state [H] as a value of its own (one per layer, however often it is asked for).</summary>
        public LstmFinalCellNode GetFinalCell(SourceSpan span) => FinalCell ??= new LstmFinalCellNode(this, span);

        public int Steps => Shape[0];
        public int Hidden => Shape[1];
        public int Features => X.Shape[1];
        private int Gates => 4 * Hidden;

        /// <summary>As LstmKernels.ScratchSize: the time-major inputs, gates, cells, their tanh and the hidden states (and h0, c0).</summary>
        public override long ScratchSize =>
            Ir.Sizes.Sum(Ir.Sizes.Product(Steps, Ir.Sizes.Sum(Features, Ir.Sizes.Product(7, Hidden))), HasInitialState ? 2L * Hidden : 0);

        /// <summary>The products (the first step has no recurrent one from a zero state) and, per step, the bias, the gate nonlinearities and the cell update.</summary>
        public override long ForwardFlops =>
            2L * Steps * Gates * Features + 2L * (HasInitialState ? Steps : Steps - 1) * Gates * Hidden + (long)Steps * (2 * Gates + 5 * Hidden);

        public override string Describe() => $"lstm {Features}->{Hidden} over {Steps} steps{(Reverse ? ", reversed" : "")}";

        private string Sizes => $"{(IsBatched ? "batch" : "1")}, {Steps}, {Features}, {Hidden}";

        /// <summary>The options in the kernel's order, or null when none is used (the short call).</summary>
        private bool UsesOptions(EmitContext c) => Reverse || HasInitialState || Emitted(FinalCell);

        /// <summary>True when the node is part of the plan (it has storage); last_cell may have been called on a value that no output uses.</summary>
        private static bool Emitted(Node? node) => node is { Offset: >= 0 };

        private static string Flag(bool value) => value ? "true" : "false";

        public override void EmitForward(EmitContext c)
        {
            if (!UsesOptions(c))
            {
                c.Line($"{Kernels}.Forward({c.Region(X)}, {c.Region(WeightIh)}, {c.Region(WeightHh)}, {c.Region(BiasIh)}, {c.Region(BiasHh)}, {c.Region(this)}, {c.ScratchRegion(this)}, {Sizes});");
                return;
            }
            string Given(Node? node) => node is not null ? c.Region(node)! : "default";
            string finalCell = Emitted(FinalCell) ? c.Region(FinalCell!)! : "default";
            c.Line($"{Kernels}.Forward({c.Region(X)}, {c.Region(WeightIh)}, {c.Region(WeightHh)}, {c.Region(BiasIh)}, {c.Region(BiasHh)},");
            c.Line($"    {Given(InitialHidden)}, {Given(InitialCell)}, {c.Region(this)}, {finalCell}, {c.ScratchRegion(this)}, {Sizes}, reverse: {Flag(Reverse)}, initialState: {Flag(HasInitialState)});");
        }

        public override void EmitBackward(EmitContext c)
        {
            string Wanted(Node? node) => node is not null && c.WantsGradient(node) ? c.Region(node, gradient: true)! : "default";
            if (!UsesOptions(c))
            {
                c.Line($"{Kernels}.Backward({c.Region(WeightIh)}, {c.Region(WeightHh)}, {c.Region(this, gradient: true)}, {c.ScratchRegion(this)}, {c.ScratchRegion(this, gradient: true)},");
                c.Line($"    {Wanted(WeightIh)}, {Wanted(WeightHh)}, {Wanted(BiasIh)}, {Wanted(BiasHh)}, {Wanted(X)}, {Sizes});");
                return;
            }
            string finalCellGradient = Emitted(FinalCell) ? Wanted(FinalCell) : "default";
            c.Line($"{Kernels}.Backward({c.Region(WeightIh)}, {c.Region(WeightHh)}, {c.Region(this, gradient: true)}, {finalCellGradient}, {c.ScratchRegion(this)}, {c.ScratchRegion(this, gradient: true)},");
            c.Line($"    {Wanted(WeightIh)}, {Wanted(WeightHh)}, {Wanted(BiasIh)}, {Wanted(BiasHh)}, {Wanted(X)}, {Wanted(InitialHidden)}, {Wanted(InitialCell)},");
            c.Line($"    {Sizes}, reverse: {Flag(Reverse)}, initialState: {Flag(HasInitialState)});");
        }
    }

    /// <summary>
    /// An LSTM layer's final cell state c_T [H] (last_cell). Its LstmNode's kernel writes the value
    /// and reads the gradient, so this node emits nothing of its own; it exists so that the plan
    /// gives the value and its gradient a place, and so that consumers can depend on it.
    /// </summary>
    public sealed class LstmFinalCellNode : Node
    {
        public LstmFinalCellNode(LstmNode lstm, SourceSpan span) : base(new Shape(lstm.Hidden), lstm.IsBatched, new Node[] { lstm }, span) { }

        public LstmNode Lstm => (LstmNode)Inputs[0];
        public override string Describe() => "final cell state of the lstm";
        public override long ForwardFlops => 0;

        /// <summary>Written by the LSTM kernel's forward pass, which runs first.</summary>
        public override void EmitForward(EmitContext c) => c.Line($"// {Name ?? "the final cell state"}: written by the lstm kernel above");

        /// <summary>The LSTM kernel's backward pass, which runs after this, reads this gradient.</summary>
        public override void EmitBackward(EmitContext c) { }
    }
}
