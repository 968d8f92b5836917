using System;
using System.Collections.Generic;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>embedding(vocab, dim, init:): row y of a [vocab, dim] table for each class id (PyTorch's nn.Embedding, initialized N(0, 1) by default).</summary>
    public sealed class EmbeddingLayer : Layer
    {
        public EmbeddingLayer(string name, int order, int vocab, int dim, Initializer? init = null) : base(name, "embedding", order)
        {
            Vocab = vocab;
            Dim = dim;
            Init = init;
        }

        /// <summary>The table's initializer; null means PyTorch's N(0, 1). Word language models use uniform(-0.1, 0.1).</summary>
        public Initializer? Init { get; }

        public int Vocab { get; }
        public int Dim { get; }
        public override bool TakesClassIds => true;

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x is not DataNode { IsInteger: true } ids)
            {
                binder.Diagnostics.Error(DiagnosticCatalog.WrongArgumentKind, span,
                    $"{Name} (embedding) acts on class ids (an int<N> or int<N>[T] input), but {inputText} is a float tensor {x.Shape}");
                return false;
            }
            if (ids.Classes <= Vocab) return true;
            binder.Diagnostics.Error(DiagnosticCatalog.LayerInputMismatch, span, $"shape mismatch: {Name} has {Vocab} rows but {inputText} is int<{ids.Classes}>");
            return false;
        }

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span) =>
            Parameters.Add(Parameter(binder, "weight", new Shape(Vocab, Dim), Init ?? Initializer.Normal(0, 1), Vocab, Dim, span));

        protected override Node Lower(Binder binder, Node x, SourceSpan span) => binder.Add(new GatherNode(Parameters[0], (DataNode)x, span));
    }

    /// <summary>
    /// rnn(hidden), lstm(hidden), gru(hidden) on float[T, F], returning every step's hidden state
    /// [T, hidden], from a zero initial state. An LSTM is one op (<see cref="LstmNode"/>); rnn and gru
    /// are unrolled over the known length T and lowered to primitive ops (slices, dense products,
    /// sigmoid, tanh, elementwise products), so backpropagation through time is the ordinary
    /// backward pass of those ops. Weights follow
    /// PyTorch: weight_ih [G·H, F], weight_hh [G·H, H], bias_ih, bias_hh [G·H] with G gates in the
    /// order i, f, g, o (lstm) or r, z, n (gru), all initialized uniform(±1/sqrt(H)).
    /// </summary>
    public sealed class RecurrentLayer : Layer
    {
        public RecurrentLayer(string name, string kind, int order, int hidden, Initializer? init = null, Initializer? biasInit = null) : base(name, kind, order)
        {
            Hidden = hidden;
            Gates = kind switch { "lstm" => 4, "gru" => 3, _ => 1 };
            Init = init;
            BiasInit = biasInit;
        }

        /// <summary>Both weight matrices' initializer; null means PyTorch's uniform(±1/√hidden).</summary>
        public Initializer? Init { get; }
        /// <summary>Both biases' initializer; null means PyTorch's uniform(±1/√hidden).</summary>
        public Initializer? BiasInit { get; }

        public int Hidden { get; }
        public int Gates { get; }

        private ParameterNode WeightIh => Parameters[0];
        private ParameterNode WeightHh => Parameters[1];
        private ParameterNode BiasIh => Parameters[2];
        private ParameterNode BiasHh => Parameters[3];

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 2)
                return Reject(binder, span, $"shape mismatch: {Name} ({Kind}) acts on a sequence float[T, F], but {inputText} is {x.Shape}");
            if ((long)Gates * Hidden * Math.Max(x.Shape[1], Hidden) <= int.MaxValue) return true;
            binder.Diagnostics.Error(DiagnosticCatalog.TooLarge, span, $"{Name} ({Kind}) has more than {int.MaxValue} weights in one matrix");
            return false;
        }

        protected override int? InFeatures(Shape input) => input.Last;

        protected override string DescribeInFeatures(int features) => $"[T, {features}]";

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int features = input[1], rows = Gates * Hidden;
            var init = Initializer.FanInUniform(Hidden);
            Parameters.Add(Parameter(binder, "weight_ih", new Shape(rows, features), Init ?? init, features, rows, span));
            Parameters.Add(Parameter(binder, "weight_hh", new Shape(rows, Hidden), Init ?? init, Hidden, rows, span));
            Parameters.Add(Parameter(binder, "bias_ih", new Shape(rows), BiasInit ?? init, Hidden, rows, span));
            Parameters.Add(Parameter(binder, "bias_hh", new Shape(rows), BiasInit ?? init, Hidden, rows, span));
        }

        /// <summary>
        /// An LSTM over per-example values is one node that Runtime's LstmKernels computes, looping
        /// over time itself; the other layers (and an LSTM over batch-wide values) are unrolled over
        /// the T steps of x from a zero state, and the output is every step's h, stacked.
        /// </summary>
        protected override Node Lower(Binder binder, Node x, SourceSpan span)
        {
            if (Kind == "lstm" && x.IsBatched)
                return binder.Add(new LstmNode(x, WeightIh, WeightHh, BiasIh, BiasHh, Hidden, span));
            var cell = new Cell(binder, this, span);
            // The input projection of every step at once: [T, G·H].
            var projected = binder.Add(new LinearNode(x, WeightIh, BiasIh, new Shape(x.Shape[0], Gates * Hidden), span));
            projected.Name = $"{Name}.input_projection";
            var states = new List<Node>();
            Node? h = null, c = null;
            for (int t = 0; t < x.Shape[0]; t++)
            {
                cell.Step = t;
                var input = binder.Add(SliceNode.Row(projected, t, span));
                // With the zero initial state, W_hh h + b_hh is just b_hh at the first step.
                Node recurrent = h is null ? BiasHh : cell.Named(binder.Add(new LinearNode(h, WeightHh, BiasHh, new Shape(Gates * Hidden), span)), "hidden_projection");
                switch (Kind)
                {
                    case "lstm": (h, c) = cell.Lstm(input, recurrent, c); break;
                    case "gru": h = cell.Gru(input, recurrent, h); break;
                    default: h = cell.Tanh(cell.Add(input, recurrent)); break;
                }
                cell.Named(h, "h");
                states.Add(h);
            }
            return binder.Add(new StackNode(states, span));
        }

        /// <summary>One time step's arithmetic, written with primitive ops.</summary>
        private sealed class Cell
        {
            private readonly Binder _b;
            private readonly RecurrentLayer _layer;
            private readonly SourceSpan _span;

            public Cell(Binder binder, RecurrentLayer layer, SourceSpan span)
            {
                _b = binder;
                _layer = layer;
                _span = span;
            }

            private int H => _layer.Hidden;
            public int Step { get; set; }

            /// <summary>Names a step's value after the layer for the generated code's comments: lstm.c[2].</summary>
            public Node Named(Node node, string what)
            {
                node.Name ??= $"{Name}.{what}[{Step}]";
                return node;
            }
            private string Name => _layer.Name;

            /// <summary>Gate k of a [G·H] pre-activation.</summary>
            public Node Gate(Node preactivation, int k, string gate) =>
                _b.Add(new SliceNode(preactivation, k * H, new Shape(H), $"gate {gate} of {Name} ->", _span));

            public Node Add(Node a, Node b) => _b.Elementwise(BinaryFunctions.Add, a, b, _span);
            public Node Sub(Node a, Node b) => _b.Elementwise(BinaryFunctions.Subtract, a, b, _span);
            public Node Mul(Node a, Node b) => _b.Elementwise(BinaryFunctions.Multiply, a, b, _span);
            public Node Sigmoid(Node x) => _b.Unary(UnaryFunctions.Sigmoid, x, _span);
            public Node Tanh(Node x) => _b.Unary(UnaryFunctions.Tanh, x, _span);

            /// <summary>gates = W_ih x + b_ih + W_hh h + b_hh; c' = f·c + i·g; h' = o·tanh(c').</summary>
            public (Node H, Node C) Lstm(Node input, Node recurrent, Node? c)
            {
                var gates = Named(Add(input, recurrent), "gates");
                var i = Named(Sigmoid(Gate(gates, 0, "i")), "i");
                var f = c is null ? null : Named(Sigmoid(Gate(gates, 1, "f")), "f");
                var g = Named(Tanh(Gate(gates, 2, "g")), "g");
                var o = Named(Sigmoid(Gate(gates, 3, "o")), "o");
                var cell = Named(f is null ? Mul(i, g) : Add(Mul(f, c!), Mul(i, g)), "c");
                return (Mul(o, Tanh(cell)), cell);
            }

            /// <summary>r, z = σ(W_i x + b_i + W_h h + b_h); n = tanh(W_in x + b_in + r·(W_hn h + b_hn)); h' = n + z·(h - n).</summary>
            public Node Gru(Node input, Node recurrent, Node? h)
            {
                var r = Named(Sigmoid(Add(Gate(input, 0, "r (input part)"), Gate(recurrent, 0, "r (hidden part)"))), "r");
                var z = Named(Sigmoid(Add(Gate(input, 1, "z (input part)"), Gate(recurrent, 1, "z (hidden part)"))), "z");
                var n = Named(Tanh(Add(Gate(input, 2, "n (input part)"), Mul(r, Gate(recurrent, 2, "n (hidden part)")))), "n");
                return h is null ? Sub(n, Mul(z, n)) : Add(n, Mul(z, Sub(h, n)));
            }
        }
    }
}
