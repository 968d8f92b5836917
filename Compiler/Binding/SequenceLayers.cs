using System;
using System.Collections.Generic;
using System.Linq;
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
                binder.Diagnostics.ReportEmbeddingOfFloats(span, Name, inputText, x.Shape);
                return false;
            }
            if (ids.Classes <= Vocab) return true;
            binder.Diagnostics.ReportEmbeddingVocabulary(span, Name, Vocab, inputText, ids.Classes);
            return false;
        }

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span) =>
            Parameters.Add(Parameter(binder, "weight", new Shape(Vocab, Dim), Init ?? Initializer.Normal(0, 1), Vocab, Dim, span));

        protected override Node Lower(Binder binder, Node x, SourceSpan span) => binder.Add(new GatherNode(Parameters[0], (DataNode)x, span));
    }

    /// <summary>A state given to a recurrent layer's call (h0 or c0), with its text and place for messages.</summary>
    public sealed class StateArgument
    {
        public StateArgument(Node value, string text, SourceSpan span)
        {
            Value = value;
            Text = text;
            Span = span;
        }

        public Node Value { get; }
        public string Text { get; }
        public SourceSpan Span { get; }
    }

    /// <summary>
    /// What a recurrent layer's call leaves behind for last_state and last_cell: per layer and
    /// direction, in PyTorch's order of h_n (layer 0 forward, layer 0 reverse, layer 1 ...), the
    /// final hidden state and the final cell state (an unrolled LSTM's node, or the kernel node
    /// that can expose it).
    /// </summary>
    public sealed class RecurrentOutput
    {
        public RecurrentOutput(RecurrentLayer layer, IReadOnlyList<RecurrentRun> runs)
        {
            Layer = layer;
            Runs = runs;
        }

        public RecurrentLayer Layer { get; }
        public IReadOnlyList<RecurrentRun> Runs { get; }
    }

    /// <summary>One direction of one layer of a call: its output sequence [T, H] and final states.</summary>
    public sealed class RecurrentRun
    {
        public RecurrentRun(Node sequence, Node finalHidden, Node? finalCell, LstmNode? kernel)
        {
            Sequence = sequence;
            FinalHidden = finalHidden;
            FinalCell = finalCell;
            Kernel = kernel;
        }

        public Node Sequence { get; }
        public Node FinalHidden { get; }
        /// <summary>An unrolled LSTM's c_T; null for a kernel LSTM (see <see cref="Kernel"/>) and for rnn and gru.</summary>
        public Node? FinalCell { get; }
        public LstmNode? Kernel { get; }
    }

    /// <summary>
    /// rnn(hidden), lstm(hidden), gru(hidden) on float[T, F], returning every step's hidden state
    /// [T, hidden] (with bidirectional: true, [T, 2·hidden]: the forward and the reverse direction
    /// side by side on the last axis, like PyTorch). layers: L stacks L layers, each reading the
    /// one below, with dropout: p on the outputs of every layer but the last in training mode
    /// (nn.LSTM's semantics). A call may pass the initial state, rnn(x, h0), gru(x, h0),
    /// lstm(x, h0, c0), each [L·D, hidden] per example like PyTorch's unbatched h_0 (or [hidden]
    /// for one layer and direction); it starts from zero otherwise. Each layer and direction over
    /// per-example values is one op (<see cref="LstmNode"/>, <see cref="RecurrentNode"/>) whose
    /// kernel loops over time, so the generated code does not grow with T; over batch-wide values
    /// the layer is unrolled over the known length T and lowered to primitive ops (slices, dense
    /// products, sigmoid, tanh, elementwise products), so backpropagation through time is the
    /// ordinary backward pass of those ops. Weights follow
    /// PyTorch: weight_ih [G·H, F], weight_hh [G·H, H], bias_ih, bias_hh [G·H] with G gates in the
    /// order i, f, g, o (lstm) or r, z, n (gru), all initialized uniform(±1/sqrt(H)); a stacked or
    /// bidirectional layer names them like nn.LSTM (weight_ih_l0, weight_ih_l0_reverse,
    /// weight_ih_l1, ...), a single one without the suffix.
    /// </summary>
    public sealed class RecurrentLayer : Layer
    {
        public RecurrentLayer(string name, string kind, int order, int hidden, Initializer? init = null, Initializer? biasInit = null,
            int layers = 1, double dropout = 0, bool bidirectional = false) : base(name, kind, order)
        {
            Hidden = hidden;
            Gates = kind switch { "lstm" => 4, "gru" => 3, _ => 1 };
            Init = init;
            BiasInit = biasInit;
            Layers = layers;
            Dropout = dropout;
            Bidirectional = bidirectional;
        }

        /// <summary>Both weight matrices' initializer; null means PyTorch's uniform(±1/√hidden).</summary>
        public Initializer? Init { get; }
        /// <summary>Both biases' initializer; null means PyTorch's uniform(±1/√hidden).</summary>
        public Initializer? BiasInit { get; }

        public int Hidden { get; }
        public int Gates { get; }
        public int Layers { get; }
        /// <summary>The dropout probability on the outputs of every layer but the last (training mode only).</summary>
        public double Dropout { get; }
        public bool Bidirectional { get; }
        public int Directions => Bidirectional ? 2 : 1;
        /// <summary>How many states a call may pass after x: h0 (and c0 for an LSTM).</summary>
        public int StateInputs => Kind == "lstm" ? 2 : 1;
        /// <summary>Rows of an initial or final state: one per layer and direction (PyTorch's D·num_layers).</summary>
        public int StateRows => Layers * Directions;
        /// <summary>How a call is written, for messages.</summary>
        public string CallForm => Kind == "lstm" ? $"{Name}(x), {Name}(x, h0) or {Name}(x, h0, c0)" : $"{Name}(x) or {Name}(x, h0)";

        /// <summary>"" for a single layer and direction (the names ModelC always had), else PyTorch's _l{k} and _reverse.</summary>
        private string Suffix(int layer, int direction) =>
            Layers == 1 && !Bidirectional ? "" : $"_l{layer}{(direction == 1 ? "_reverse" : "")}";

        /// <summary>Parameter k (weight_ih, weight_hh, bias_ih, bias_hh) of one layer and direction.</summary>
        private ParameterNode Weight(int layer, int direction, int k) => Parameters[4 * (layer * Directions + direction) + k];

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank != 2)
                return Reject(binder, span, $"shape mismatch: {Name} ({Kind}) acts on a sequence float[T, F], but {inputText} is {x.Shape}");
            if ((long)Gates * Hidden * Math.Max(x.Shape[1], Directions * Hidden) > int.MaxValue)
            {
                binder.Diagnostics.ReportTooManyWeights(span, Name, Kind, "in one matrix");
                return false;
            }
            if (Dropout > 0 && Layers > 1 && !x.IsBatched)
            {
                binder.Diagnostics.ReportRecurrentDropoutOfParameters(span, Name, inputText);
                return false;
            }
            return true;
        }

        protected override int? InFeatures(Shape input) => input.Last;

        protected override string DescribeInFeatures(int features) => $"[T, {features}]";

        /// <summary>In PyTorch's order: per layer, per direction, weight_ih, weight_hh, bias_ih, bias_hh.</summary>
        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int rows = Gates * Hidden;
            var init = Initializer.FanInUniform(Hidden);
            for (int layer = 0; layer < Layers; layer++)
            {
                int features = layer == 0 ? input[1] : Directions * Hidden;
                for (int direction = 0; direction < Directions; direction++)
                {
                    string suffix = Suffix(layer, direction);
                    Parameters.Add(Parameter(binder, "weight_ih" + suffix, new Shape(rows, features), Init ?? init, features, rows, span));
                    Parameters.Add(Parameter(binder, "weight_hh" + suffix, new Shape(rows, Hidden), Init ?? init, Hidden, rows, span));
                    Parameters.Add(Parameter(binder, "bias_ih" + suffix, new Shape(rows), BiasInit ?? init, Hidden, rows, span));
                    Parameters.Add(Parameter(binder, "bias_hh" + suffix, new Shape(rows), BiasInit ?? init, Hidden, rows, span));
                }
            }
        }

        /// <summary>A call with initial states (none for the zero state): checks them, then applies the layer.</summary>
        public Node Apply(Binder binder, Node x, IReadOnlyList<StateArgument> states, string inputText, SourceSpan span)
        {
            foreach (var state in states)
                if (!AcceptsState(binder, state))
                {
                    MarkAttempted();
                    return new ErrorNode(span);
                }
            return ApplyWith(binder, x, inputText, span, (b, v, s) => Lower(b, v, states.Select(state => state.Value).ToArray(), s));
        }

        /// <summary>h0 or c0 is [L·D, H] per example (or [H] when L·D is 1).</summary>
        private bool AcceptsState(Binder binder, StateArgument state)
        {
            var shape = state.Value.Shape;
            bool fits = shape.Equals(new Shape(StateRows, Hidden)) || (StateRows == 1 && shape.Equals(new Shape(Hidden)));
            if (!fits)
            {
                binder.Diagnostics.ReportInitialStateShape(state.Span, Name, Kind, state.Text, shape.ToString(), new Shape(StateRows, Hidden).ToString(), StateRows == 1 ? new Shape(Hidden).ToString() : null);
                return false;
            }
            if (state.Value.IsBatched) return true;
            binder.Diagnostics.ReportInitialStateNotPerExample(state.Span, Name, state.Text);
            return false;
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span) => Lower(binder, x, Array.Empty<Node>(), span);

        /// <summary>
        /// Every layer and direction in turn, each over the whole sequence below it; the last
        /// layer's output is the call's value, and the binder remembers its final states.
        /// </summary>
        private Node Lower(Binder binder, Node x, IReadOnlyList<Node> states, SourceSpan span)
        {
            Node? h0 = states.Count > 0 ? states[0] : null, c0 = states.Count > 1 ? states[1] : null;
            var runs = new List<RecurrentRun>();
            Node input = x;
            for (int layer = 0; layer < Layers; layer++)
            {
                var outputs = new List<Node>();
                for (int direction = 0; direction < Directions; direction++)
                {
                    int row = layer * Directions + direction;
                    var run = Run(binder, input, layer, direction, StateRow(binder, h0, row, span), StateRow(binder, c0, row, span), span);
                    if (run is null) return new ErrorNode(span);
                    runs.Add(run);
                    outputs.Add(run.Sequence);
                }
                input = outputs.Count == 1 ? outputs[0]
                    : binder.Add(new ConcatNode(outputs, 1, new Shape(x.Shape[0], Directions * Hidden), span));
                if (layer < Layers - 1 && Dropout > 0) input = binder.Add(new DropoutNode(input, Dropout, span));
                if (input is ErrorNode) return input;
            }
            binder.RememberRecurrentOutput(input, new RecurrentOutput(this, runs));
            return input;
        }

        /// <summary>Row k of a [L·D, H] state ([H] as given when there is one row); null for a zero state.</summary>
        private Node? StateRow(Binder binder, Node? state, int row, SourceSpan span) =>
            state is null ? null : state.Shape.Rank == 1 ? state : binder.Add(SliceNode.Row(state, row, span));

        /// <summary>
        /// One direction of one layer. Over per-example values it is one node that a Runtime kernel
        /// (LstmKernels, GruKernels, RnnKernels) computes, looping over time itself; over batch-wide
        /// values (a parameter sequence) it is unrolled over the T steps, and the output is every
        /// step's h, stacked in time order. Null after an error was reported.
        /// </summary>
        private RecurrentRun? Run(Binder binder, Node x, int layer, int direction, Node? h0, Node? c0, SourceSpan span)
        {
            if (x is ErrorNode || h0 is ErrorNode || c0 is ErrorNode) return null;
            bool reverse = direction == 1;
            var (weightIh, weightHh, biasIh, biasHh) = (Weight(layer, direction, 0), Weight(layer, direction, 1), Weight(layer, direction, 2), Weight(layer, direction, 3));
            int steps = x.Shape[0];
            if (x.IsBatched)
            {
                var added = binder.Add(Kind == "lstm"
                    ? new LstmNode(x, weightIh, weightHh, biasIh, biasHh, Hidden, span, reverse, h0, c0)
                    : new RecurrentNode(Kind, x, weightIh, weightHh, biasIh, biasHh, Hidden, span, reverse, h0));
                if (added is not RecurrentKernelNode kernel) return null;
                // The state after the last step the direction reads: T-1 forward, 0 in reverse.
                var final = binder.Add(SliceNode.Row(kernel, reverse ? 0 : steps - 1, span));
                return final is ErrorNode ? null : new RecurrentRun(kernel, final, null, kernel as LstmNode);
            }
            var cell = new Cell(binder, Name + Suffix(layer, direction), Hidden, span);
            // The input projection of every step at once: [T, G·H].
            var projected = binder.Add(new LinearNode(x, weightIh, biasIh, new Shape(steps, Gates * Hidden), span));
            projected.Name = $"{cell.Label}.input_projection";
            var sequence = new Node[steps];
            Node? h = h0, c = c0;
            for (int k = 0; k < steps; k++)
            {
                int t = reverse ? steps - 1 - k : k;
                cell.Step = t;
                var input = binder.Add(SliceNode.Row(projected, t, span));
                // From a zero state, W_hh h + b_hh is just b_hh at the first step.
                Node recurrent = h is null ? biasHh : cell.Named(binder.Add(new LinearNode(h, weightHh, biasHh, new Shape(Gates * Hidden), span)), "hidden_projection");
                switch (Kind)
                {
                    case "lstm": (h, c) = cell.Lstm(input, recurrent, c); break;
                    case "gru": h = cell.Gru(input, recurrent, h); break;
                    default: h = cell.Tanh(cell.Add(input, recurrent)); break;
                }
                cell.Named(h, "h");
                sequence[t] = h;
            }
            var stacked = binder.Add(new StackNode(sequence, span));
            return stacked is ErrorNode || h is ErrorNode ? null : new RecurrentRun(stacked, h!, Kind == "lstm" ? c : null, null);
        }

        /// <summary>One time step's arithmetic, written with primitive ops.</summary>
        private sealed class Cell
        {
            private readonly Binder _b;
            private readonly int _hidden;
            private readonly SourceSpan _span;

            public Cell(Binder binder, string label, int hidden, SourceSpan span)
            {
                _b = binder;
                Label = label;
                _hidden = hidden;
                _span = span;
            }

            /// <summary>The layer's name, with the layer and direction of a stacked or bidirectional one (lstm_l1_reverse).</summary>
            public string Label { get; }
            private int H => _hidden;
            public int Step { get; set; }

            /// <summary>Names a step's value after the layer for the generated code's comments: lstm.c[2].</summary>
            public Node Named(Node node, string what)
            {
                node.Name ??= $"{Label}.{what}[{Step}]";
                return node;
            }

            /// <summary>Gate k of a [G·H] pre-activation.</summary>
            public Node Gate(Node preactivation, int k, string gate) =>
                _b.Add(new SliceNode(preactivation, k * H, new Shape(H), $"gate {gate} of {Label} ->", _span));

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
