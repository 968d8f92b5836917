using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// An LSTM layer over a whole sequence x [T, F] from a zero state: every step's hidden state,
    /// [T, H]. Gates = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh in PyTorch's order i, f, g, o;
    /// c_t = f·c_{t-1} + i·g, h_t = o·tanh(c_t). One call of Runtime's LstmKernels per pass, which
    /// loops over time itself: the generated code does not grow with T.
    /// </summary>
    public sealed class LstmNode : Node
    {
        private const string Kernels = "global::ModelC.Runtime.Kernels.LstmKernels";

        public LstmNode(Node x, ParameterNode weightIh, ParameterNode weightHh, ParameterNode biasIh, ParameterNode biasHh, int hidden, SourceSpan span)
            : base(new Shape(x.Shape[0], hidden), x.IsBatched, new Node[] { x, weightIh, weightHh, biasIh, biasHh }, span)
        {
        }

        public Node X => Inputs[0];
        public Node WeightIh => Inputs[1];
        public Node WeightHh => Inputs[2];
        public Node BiasIh => Inputs[3];
        public Node BiasHh => Inputs[4];
        public int Steps => Shape[0];
        public int Hidden => Shape[1];
        public int Features => X.Shape[1];
        private int Gates => 4 * Hidden;

        /// <summary>As LstmKernels.ScratchSize: the time-major inputs, gates, cells, their tanh and the hidden states.</summary>
        public override long ScratchSize => Ir.Sizes.Product(Steps, Ir.Sizes.Sum(Features, Ir.Sizes.Product(7, Hidden)));

        /// <summary>The products (the first step has no recurrent one) and, per step, the bias, the gate nonlinearities and the cell update.</summary>
        public override long ForwardFlops => 2L * Steps * Gates * Features + 2L * (Steps - 1) * Gates * Hidden + (long)Steps * (2 * Gates + 5 * Hidden);

        public override string Describe() => $"lstm {Features}->{Hidden} over {Steps} steps";

        private string Sizes => $"{(IsBatched ? "batch" : "1")}, {Steps}, {Features}, {Hidden}";

        public override void EmitForward(EmitContext c) =>
            c.Line($"{Kernels}.Forward({c.Region(X)}, {c.Region(WeightIh)}, {c.Region(WeightHh)}, {c.Region(BiasIh)}, {c.Region(BiasHh)}, {c.Region(this)}, {c.ScratchRegion(this)}, {Sizes});");

        public override void EmitBackward(EmitContext c)
        {
            string Wanted(Node node) => c.WantsGradient(node) ? c.Region(node, gradient: true)! : "default";
            c.Line($"{Kernels}.Backward({c.Region(WeightIh)}, {c.Region(WeightHh)}, {c.Region(this, gradient: true)}, {c.ScratchRegion(this)}, {c.ScratchRegion(this, gradient: true)},");
            c.Line($"    {Wanted(WeightIh)}, {Wanted(WeightHh)}, {Wanted(BiasIh)}, {Wanted(BiasHh)}, {Wanted(X)}, {Sizes});");
        }
    }
}
