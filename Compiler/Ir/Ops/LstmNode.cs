using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// One direction of one LSTM layer over a whole sequence (see <see cref="RecurrentKernelNode"/>),
    /// through Runtime's LstmKernels. Gates = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh in PyTorch's
    /// order i, f, g, o; c_t = f·c_{t-1} + i·g, h_t = o·tanh(c_t); the state starts at h0 and c0 [H]
    /// per example when given.
    /// </summary>
    public sealed class LstmNode : RecurrentKernelNode
    {
        public LstmNode(Node x, ParameterNode weightIh, ParameterNode weightHh, ParameterNode biasIh, ParameterNode biasHh, int hidden, SourceSpan span,
            bool reverse = false, Node? initialHidden = null, Node? initialCell = null)
            : base(x, weightIh, weightHh, biasIh, biasHh, hidden, span, reverse, new[] { initialHidden, initialCell })
        {
            InitialHidden = initialHidden;
            InitialCell = initialCell;
        }

        /// <summary>h0 [H] per example, or null for a zero one.</summary>
        public Node? InitialHidden { get; }
        /// <summary>c0 [H] per example, or null for a zero one.</summary>
        public Node? InitialCell { get; }
        private bool HasInitialState => InitialHidden is not null || InitialCell is not null;

        protected override string Kernels => "global::ModelC.Runtime.Kernels.LstmKernels";
        protected override string Kind => "lstm";

        /// <summary>
        /// The node that exposes this layer's final cell state (last_cell), once one asks for it: the
        /// kernel writes that value in the forward pass and reads its gradient in the backward pass.
        /// </summary>
        public LstmFinalCellNode? FinalCell { get; private set; }

        /// <summary>The final cell state [H] as a value of its own (one per layer, however often it is asked for).</summary>
        public LstmFinalCellNode GetFinalCell(SourceSpan span) => FinalCell ??= new LstmFinalCellNode(this, span);

        /// <summary>As LstmKernels.ScratchSize: the time-major inputs, gates, cells, their tanh and the hidden states (and h0, c0).</summary>
        public override long ScratchSize =>
            Ir.Sizes.Sum(Ir.Sizes.Product(Steps, Ir.Sizes.Sum(Features, Ir.Sizes.Product(7, Hidden))), HasInitialState ? 2L * Hidden : 0);

        /// <summary>The products (the first step has no recurrent one from a zero state) and, per step, the bias, the gate nonlinearities and the cell update.</summary>
        public override long ForwardFlops =>
            ProductFlops(HasInitialState) + (long)Steps * (2 * Gates + 5 * Hidden);

        /// <summary>The options in the kernel's order, or null when none is used (the short call).</summary>
        private bool UsesOptions(EmitContext c) => Reverse || HasInitialState || Emitted(c, FinalCell);

        /// <summary>True when the node is part of the plan (it has storage); last_cell may have been called on a value that no output uses.</summary>
        private static bool Emitted(EmitContext c, Node? node) => node is not null && c.IsPlaced(node);

        public override void EmitForward(EmitContext c)
        {
            if (!UsesOptions(c))
            {
                c.Line($"{Kernels}.Forward({ForwardOperands(c)}, {c.Region(this)}, {c.ScratchRegion(this)}, {Sizes});");
                return;
            }
            string finalCell = Emitted(c, FinalCell) ? c.Region(FinalCell!)! : "default";
            c.Line($"{Kernels}.Forward({ForwardOperands(c)},");
            c.Line($"    {Given(c, InitialHidden)}, {Given(c, InitialCell)}, {c.Region(this)}, {finalCell}, {c.ScratchRegion(this)}, {Sizes}, reverse: {Flag(Reverse)}, initialState: {Flag(HasInitialState)});");
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!UsesOptions(c))
            {
                c.Line($"{Kernels}.Backward({BackwardOperands(c)},");
                c.Line($"    {ParameterAndInputGradients(c)}, {Sizes});");
                return;
            }
            string finalCellGradient = Emitted(c, FinalCell) ? Wanted(c, FinalCell) : "default";
            c.Line($"{Kernels}.Backward({BackwardOperands(c, finalCellGradient)},");
            c.Line($"    {ParameterAndInputGradients(c)}, {Wanted(c, InitialHidden)}, {Wanted(c, InitialCell)},");
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
