using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Ir;
using static ModelC.Onnx.OnnxGraphBuilder;
using P = Onnx;

namespace ModelC.Onnx;

/// <summary>
/// Turns a bound model (the compiler's IR) into an ONNX inference graph. Every ModelC value has
/// its per-example shape; in ONNX a batched value carries the batch as axis 0 and a batch-wide one
/// (a parameter, an expression of parameters) has no batch axis, so NumPy broadcasting of the two
/// works as in the generated code once a batched operand of lower rank is unsqueezed after its
/// batch axis. Inference semantics: dropout is the identity, batchnorm normalizes with its running
/// statistics and sample_normal gives its mean. An LSTM layer exports as ONNX's LSTM op; rnn and
/// gru are already lowered to dense, slice and elementwise ops in the IR, so they export as those
/// primitives.
/// </summary>
internal sealed class OnnxExporter
{
    private readonly ModelGraph _model;
    private readonly IReadOnlyDictionary<string, float[]> _tensors;
    private readonly OnnxGraphBuilder _b = new();
    private readonly Dictionary<Node, string> _values = new();
    private string? _batchSize;

    private OnnxExporter(ModelGraph model, IReadOnlyDictionary<string, float[]> tensors)
    {
        _model = model;
        _tensors = tensors;
    }

    /// <summary>
    /// The ONNX model of <paramref name="model"/>'s inference graph, with each parameter and buffer
    /// taken from <paramref name="tensors"/> by name (row-major, the model's shapes).
    /// </summary>
    /// <exception cref="NotSupportedException">An output depends on an op that has no ONNX form here.</exception>
    public static P.ModelProto Export(ModelGraph model, IReadOnlyDictionary<string, float[]> tensors)
    {
        var exporter = new OnnxExporter(model, tensors);
        exporter.Build();
        var proto = new P.ModelProto
        {
            IrVersion = OnnxFormat.IrVersion,
            ProducerName = "ModelC",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = exporter._b.Graph,
        };
        proto.OpsetImport.Add(new P.OperatorSetIdProto { Domain = "", Version = OnnxFormat.Opset });
        return proto;
    }

    private void Build()
    {
        _b.Graph.Name = _model.Name;
        foreach (var input in _model.Inputs)
        {
            _b.Input(_b.Name(input.Name!), input.IsInteger ? P.TensorProto.Types.DataType.Int64 : P.TensorProto.Types.DataType.Float, input.Shape.Dims);
            _values[input] = input.Name!;
        }
        // Output names are the model's, so they are claimed before any intermediate value can take them.
        foreach (var output in _model.Outputs) _b.Name(output.Name);

        foreach (var node in NodesFeedingOutputs())
            if (!_values.ContainsKey(node)) _values[node] = Emit(node);

        foreach (var output in _model.Outputs)
        {
            string value = _values[output.Node];
            if (!output.Node.IsBatched) value = ToBatched(value, output.Node.Shape);
            var identity = new P.NodeProto { OpType = "Identity", Name = output.Name };
            identity.Input.Add(value);
            identity.Output.Add(output.Name);
            _b.Graph.Node.Add(identity);
            _b.Output(output.Name, output.Node.Shape.Dims);
        }
    }

    /// <summary>The nodes the outputs depend on, each after its inputs (parameters and constants are not all in the node list).</summary>
    private IEnumerable<Node> NodesFeedingOutputs()
    {
        var order = new List<Node>();
        var visited = new HashSet<Node>();
        // Depth-first with an explicit stack: an unrolled recurrent layer chains thousands of nodes.
        var stack = new Stack<(Node Node, bool InputsDone)>();
        foreach (var output in _model.Outputs) stack.Push((output.Node, false));
        while (stack.Count > 0)
        {
            var (node, inputsDone) = stack.Pop();
            if (inputsDone) { order.Add(node); continue; }
            if (!visited.Add(node)) continue;
            stack.Push((node, true));
            for (int i = node.Inputs.Count - 1; i >= 0; i--)
                if (!visited.Contains(node.Inputs[i])) stack.Push((node.Inputs[i], false));
        }
        return order;
    }

    private string V(Node node) => _values[node];

    private string Emit(Node node)
    {
        string name = node.Name is { Length: > 0 } own && node is not ParameterNode and not BufferNode ? own : "t";
        switch (node)
        {
            case ParameterNode or BufferNode:
                return Initializer(node);
            case ConstantNode constant:
                return _b.Scalar((float)constant.Value);
            case UnaryNode unary:
                return Unary(unary, name);
            case BinaryNode binary:
                return Binary(binary, name);
            case LinearNode linear:
                return Linear(linear, name);
            case MatMulNode matmul:
                return MatMul(matmul, name);
            case LstmNode lstm:
                if (lstm.InitialHidden is not null || lstm.InitialCell is not null || lstm.FinalCell is not null)
                    throw Unsupported(node, "an lstm with an initial state or last_cell");
                return Recurrent(lstm, "LSTM", OnnxLstmGates, name, null);
            case RecurrentNode recurrent:
                // linear_before_reset: PyTorch's GRU applies r to W_hn h + b_hn.
                return recurrent.IsGru
                    ? Recurrent(recurrent, "GRU", OnnxGruGates, name, recurrent.InitialHidden, Attribute("linear_before_reset", 1L))
                    : Recurrent(recurrent, "RNN", new[] { 0 }, name, recurrent.InitialHidden);
            case Conv2dNode conv:
            {
                var w = conv.Window;
                // conv1d keeps PyTorch's weight [F, C, k]; ONNX's Conv of [C, 1, L] wants [F, C, 1, k].
                string weight = conv.Weight.Shape.Rank == 4 ? V(conv.Weight)
                    : Reshape(V(conv.Weight), false, new Shape(conv.Weight.Shape[0], conv.Weight.Shape[1], 1, conv.Weight.Shape[2]), "weight_2d");
                var inputs = new List<string> { V(conv.X), weight };
                if (conv.Bias is not null) inputs.Add(V(conv.Bias));
                return _b.Node("Conv", name, inputs,
                    Attribute("kernel_shape", w.KernelH, w.KernelW),
                    Attribute("strides", w.Stride, w.Stride),
                    Attribute("pads", w.PadTop, w.PadLeft, w.PadBottom, w.PadRight));
            }
            case Pool2dNode pool:
                return _b.Node(pool.Kind == PoolKind.Max ? "MaxPool" : "AveragePool", name, new[] { V(pool.X) },
                    Attribute("kernel_shape", pool.KernelH, pool.KernelW), Attribute("strides", pool.StrideH, pool.StrideW));
            case ConvTranspose2dNode transposed:
            {
                var inputs = new List<string> { V(transposed.X), V(transposed.Weight) };
                if (transposed.Bias is not null) inputs.Add(V(transposed.Bias));
                return _b.Node("ConvTranspose", name, inputs,
                    Attribute("kernel_shape", transposed.Kernel, transposed.Kernel),
                    Attribute("strides", transposed.Stride, transposed.Stride),
                    Attribute("pads", transposed.Padding, transposed.Padding, transposed.Padding, transposed.Padding),
                    Attribute("output_padding", transposed.OutputPadding, transposed.OutputPadding));
            }
            case Upsample2dNode upsample:
            {
                // Output pixel i reads input pixel floor(i / scale): asymmetric coordinates, rounded down.
                string scales = _b.FloatTensor("scales", new[] { 4 }, new[] { 1f, 1f, upsample.Scale, upsample.Scale });
                return _b.Node("Resize", name, new[] { V(upsample.X), "", scales },
                    Attribute("mode", "nearest"), Attribute("coordinate_transformation_mode", "asymmetric"), Attribute("nearest_mode", "floor"));
            }
            case AdaptiveAvgPool2dNode:
                throw Unsupported(node, "adaptive_avgpool2d with windows of unequal size");
            case BatchNormNode bn:
                return _b.Node("BatchNormalization", name,
                    new[] { V(bn.X), V(bn.Weight), V(bn.Bias), V(bn.RunningMean), V(bn.RunningVar) },
                    Attribute("epsilon", (float)BatchNormNode.Epsilon), Attribute("momentum", (float)(1 - BatchNormNode.Momentum)));
            case LayerNormNode ln:
                return _b.Node("LayerNormalization", name, new[] { V(ln.X), V(ln.Weight), V(ln.Bias) },
                    Attribute("axis", -1L), Attribute("epsilon", (float)LayerNormNode.Epsilon));
            case SoftmaxNode softmax:
                return _b.Node(softmax.IsLog ? "LogSoftmax" : "Softmax", name, new[] { V(softmax.X) }, Attribute("axis", (long)softmax.Axis + Offset(softmax)));
            case CausalMaskNode mask:
                return CausalMask(mask.Length);
            case AttentionNode attention:
                return Attention(attention, name);
            case DropoutNode dropout:
                return V(dropout.Inputs[0]);
            case SampleNormalNode sample:
                return sample.Mu.IsBatched ? V(sample.Mu) : ToBatched(V(sample.Mu), sample.Mu.Shape);
            case ReshapeNode reshape:
                return Reshape(V(reshape.X), reshape.IsBatched, reshape.Shape, name);
            case PermuteNode permute:
            {
                // A batched value carries the batch axis first; it stays there.
                int offset = Offset(permute);
                var perm = Enumerable.Range(0, offset).Select(d => (long)d).Concat(permute.Axes.Select(axis => (long)(axis + offset))).ToArray();
                return _b.Node("Transpose", name, new[] { V(permute.X) }, Attribute("perm", perm));
            }
            case ConcatNode concat:
                return _b.Node("Concat", name, Batched(concat.Inputs, concat.IsBatched), Attribute("axis", (long)concat.Axis + Offset(concat)));
            case StackNode stack:
            {
                string axis = _b.Int64s("axes", Offset(stack));
                var steps = Batched(stack.Inputs, stack.IsBatched).Select(v => _b.Node("Unsqueeze", "step", v, axis)).ToList();
                return _b.Node("Concat", name, steps, Attribute("axis", (long)Offset(stack)));
            }
            case SliceNode slice:
                return Slice(slice, name);
            case GatherNode gather:
                if (gather.Table.IsBatched)
                    throw Unsupported(node, "gathering rows of a per-example tensor");
                return _b.Node("Gather", name, new[] { V(gather.Table), V(gather.Index) }, Attribute("axis", 0L));
            case ReduceNode reduce:
                return Reduce(reduce, name);
            default:
                throw Unsupported(node, null);
        }
    }

    private NotSupportedException Unsupported(Node node, string? what) =>
        new($"{_model.FileName}({node.Span.Line},{node.Span.Column}): {what ?? $"'{node.Describe()}'"} has no ONNX export; " +
            "the outputs may use dense, conv1d, conv2d, conv_transpose2d, pooling, upsample2d, batchnorm, layernorm, embeddings and gathers, rnn/lstm/gru, " +
            "elementwise functions, reductions, softmax, @, reshape, transpose, concat, dropout and sample_normal");

    private string Initializer(Node node) => _b.FloatTensor(node.Name!, node.Shape.Dims, TensorOf(node));

    private float[] TensorOf(Node node)
    {
        string name = node.Name!;
        if (!_tensors.TryGetValue(name, out var values))
            throw new ArgumentException($"no values given for '{name}'");
        if (values.Length != node.Shape.Size)
            throw new ArgumentException($"'{name}' has {values.Length} values but its shape {node.Shape} holds {node.Shape.Size}");
        return values;
    }

    // ONNX's gate k is ModelC's (PyTorch's) gate OnnxLstmGates[k]: LSTM i, o, f, c against i, f, g, o; GRU z, r, h against r, z, n.
    private static readonly int[] OnnxLstmGates = { 0, 3, 1, 2 };
    private static readonly int[] OnnxGruGates = { 1, 0, 2 };

    /// <summary>
    /// ONNX's LSTM, GRU or RNN op (layout 0: time-major) between two transposes of the batch and
    /// time axes, its weights with the gates in ONNX's order, and the initial state (per example,
    /// [batch, H]) as ONNX's initial_h [1, batch, H] when there is one.
    /// </summary>
    private string Recurrent(RecurrentKernelNode node, string op, int[] gateOrder, string name, Node? initialHidden, params P.AttributeProto[] options)
    {
        int h = node.Hidden, gates = gateOrder.Length * h;
        float[] Reordered(Node parameter, int rowSize)
        {
            var values = TensorOf(parameter);
            var result = new float[gates * rowSize];
            for (int k = 0; k < gateOrder.Length; k++) Array.Copy(values, gateOrder[k] * h * rowSize, result, k * h * rowSize, h * rowSize);
            return result;
        }
        string w = _b.FloatTensor(node.WeightIh.Name + ".onnx", new[] { 1, gates, node.Features }, Reordered(node.WeightIh, node.Features));
        string r = _b.FloatTensor(node.WeightHh.Name + ".onnx", new[] { 1, gates, h }, Reordered(node.WeightHh, h));
        string b = _b.FloatTensor(node.BiasIh.Name + "+bias_hh.onnx", new[] { 1, 2 * gates }, Reordered(node.BiasIh, 1).Concat(Reordered(node.BiasHh, 1)).ToArray());
        string sequence = _b.Node("Transpose", "time_major", new[] { V(node.X) }, Attribute("perm", 1L, 0L, 2L));
        var inputs = new List<string> { sequence, w, r, b };
        // An empty name leaves out the optional sequence_lens.
        if (initialHidden is not null) inputs.AddRange(new[] { "", _b.Node("Unsqueeze", "initial_h", V(initialHidden), _b.Int64s("axes", 0)) });
        var attributes = new List<P.AttributeProto>(options) { Attribute("hidden_size", (long)h) };
        // A bidirectional layer's reverse half is its own node, which ONNX runs from the end.
        if (node.Reverse) attributes.Add(Attribute("direction", "reverse"));
        // Y is [steps, directions (1), batch, hidden].
        string states = _b.Node(op, op.ToLowerInvariant() + "_states", inputs, attributes.ToArray());
        string steps = _b.Node("Squeeze", op.ToLowerInvariant() + "_steps", states, _b.Int64s("axes", 1));
        return _b.Node("Transpose", name, new[] { steps }, Attribute("perm", 1L, 0L, 2L));
    }

    /// <summary>1 for a batched value (its per-example axis a is ONNX axis a + 1), 0 otherwise.</summary>
    private static int Offset(Node node) => node.IsBatched ? 1 : 0;

    /// <summary>
    /// Makes a batched operand of per-example rank r line up with a result of rank
    /// <paramref name="rank"/>: NumPy aligns trailing axes, and the batch axis would otherwise meet
    /// a per-example axis. Unsqueezing axes 1..rank-r restores the generated code's alignment.
    /// </summary>
    private string Aligned(Node operand, int rank)
    {
        if (!operand.IsBatched || operand.Shape.Rank >= rank) return V(operand);
        var axes = Enumerable.Range(1, rank - operand.Shape.Rank).Select(a => (long)a).ToArray();
        return _b.Node("Unsqueeze", "aligned", V(operand), _b.Int64s("axes", axes));
    }

    /// <summary>The parts' values, batch-wide ones repeated over the batch when the result is batched.</summary>
    private IEnumerable<string> Batched(IReadOnlyList<Node> parts, bool batched) =>
        parts.Select(p => batched && !p.IsBatched ? ToBatched(V(p), p.Shape) : V(p)).ToList();

    /// <summary>A batch-wide value repeated for every example: shape [batch, dims].</summary>
    private string ToBatched(string value, Shape shape)
    {
        string unsqueezed = _b.Node("Unsqueeze", "per_example", value, _b.Int64s("axes", 0));
        var target = _b.Node("Concat", "batch_shape", new[] { BatchSize(), _b.Int64s("dims", shape.Dims.Select(d => (long)d).ToArray()) }, Attribute("axis", 0L));
        return _b.Node("Expand", "repeated", unsqueezed, target);
    }

    /// <summary>A one-element int64 tensor holding the batch size, read from the first input.</summary>
    private string BatchSize()
    {
        if (_batchSize is not null) return _batchSize;
        string shape = _b.Node("Shape", "input_shape", _model.Inputs[0].Name!);
        return _batchSize = _b.Node("Slice", "batch_size", shape, _b.Int64s("starts", 0), _b.Int64s("ends", 1));
    }

    private string Reshape(string value, bool batched, Shape shape, string name)
    {
        // 0 in an ONNX shape copies the input's dimension: here the batch.
        var dims = (batched ? new long[] { 0 } : Array.Empty<long>()).Concat(shape.Dims.Select(d => (long)d)).ToArray();
        return _b.Node("Reshape", name, value, _b.Int64s("shape", dims));
    }

    private string Unary(UnaryNode node, string name)
    {
        string x = V(node.X);
        var function = node.Function;
        switch (function.Kind)
        {
            case "neg": return _b.Node("Neg", name, x);
            case "relu": return _b.Node("Relu", name, x);
            case "sigmoid": return _b.Node("Sigmoid", name, x);
            case "tanh": return _b.Node("Tanh", name, x);
            case "softplus": return _b.Node("Softplus", name, x);
            case "exp": return _b.Node("Exp", name, x);
            case "log": return _b.Node("Log", name, x);
            case "sqrt": return _b.Node("Sqrt", name, x);
            case "abs": return _b.Node("Abs", name, x);
            case "square": return _b.Node("Mul", name, x, x);
            case "mish":
                // Mish is an ONNX op only from opset 18: x · tanh(softplus(x)).
                return _b.Node("Mul", name, x, _b.Node("Tanh", "mish_tanh", _b.Node("Softplus", "mish_softplus", x)));
            case "gelu":
            {
                // Gelu is an ONNX op only from opset 20: the exact form x · (1 + erf(x / √2)) / 2.
                string erf = _b.Node("Erf", "gelu_erf", _b.Node("Mul", "gelu_scaled", x, _b.Scalar((float)(1 / Math.Sqrt(2)))));
                string half = _b.Node("Mul", "gelu_half", x, _b.Scalar(0.5f));
                return _b.Node("Mul", name, half, _b.Node("Add", "gelu_one_plus", erf, _b.Scalar(1f)));
            }
            case "leaky_relu": return _b.Node("LeakyRelu", name, new[] { x }, Attribute("alpha", (float)ArgumentOf(node)));
            case "elu": return _b.Node("Elu", name, new[] { x }, Attribute("alpha", (float)ArgumentOf(node)));
            case "pow": return _b.Node("Pow", name, x, _b.Scalar((float)ArgumentOf(node)));
        }
        throw Unsupported(node, $"the function '{function.Name}'");
    }

    private double ArgumentOf(UnaryNode node) =>
        node.Function.Argument ?? throw new InvalidOperationException($"{_model.FileName}({node.Span.Line},{node.Span.Column}): '{node.Function.Name}' carries no argument");

    private string Binary(BinaryNode node, string name)
    {
        string op = node.Function.Name switch
        {
            "add" => "Add",
            "sub" => "Sub",
            "mul" => "Mul",
            "div" => "Div",
            "max" => "Max",
            "min" => "Min",
            _ => throw Unsupported(node, $"the function '{node.Function.Name}'"),
        };
        int rank = node.Shape.Rank;
        return _b.Node(op, name, Aligned(node.A, rank), Aligned(node.B, rank));
    }

    private string Linear(LinearNode node, string name)
    {
        // One vector per example is Gemm's case: y = x Wᵀ + b with W [out, in] as stored.
        if (node.X.IsBatched && node.X.Shape.Rank == 1)
        {
            var inputs = new List<string> { V(node.X), V(node.Weight) };
            if (node.Bias is not null) inputs.Add(V(node.Bias));
            return _b.Node("Gemm", name, inputs, Attribute("transB", 1L));
        }
        string transposed = _b.Node("Transpose", "weight_t", new[] { V(node.Weight) }, Attribute("perm", 1L, 0L));
        string product = _b.Node("MatMul", node.Bias is null ? name : "product", V(node.X), transposed);
        return node.Bias is null ? product : _b.Node("Add", name, product, V(node.Bias));
    }

    private string MatMul(MatMulNode node, string name)
    {
        // Viewed as [..., M, N] @ [..., N, P] per example with both stacks of the output's rank, as
        // the IR does, so ONNX's rules for vectors and batch dimensions never differ from the
        // per-example ones; a per-batch operand then broadcasts over the batch axis.
        Shape Stack(Shape batch, int rows, int columns) =>
            Shape.Of(Enumerable.Repeat(1, node.BatchShape.Rank - batch.Rank).Concat(batch.Dims).Concat(new[] { rows, columns }));
        string a = Reshape(V(node.A), node.A.IsBatched, Stack(node.BatchA, node.M, node.N), "a_matrix");
        string b = Reshape(V(node.B), node.B.IsBatched, Stack(node.BatchB, node.N, node.P), "b_matrix");
        string product = _b.Node("MatMul", "matmul", a, b);
        return Reshape(product, node.IsBatched, node.Shape, name);
    }

    /// <summary>A scalar int64 initializer: a Gather with it drops the axis it picks from.</summary>
    private string ScalarIndex(string wanted, long value)
    {
        var index = new P.TensorProto { Name = _b.Name(wanted), DataType = (int)P.TensorProto.Types.DataType.Int64 };
        index.Int64Data.Add(value);
        _b.Graph.Initializer.Add(index);
        return index.Name;
    }

    /// <summary>The [T, T] mask of 0 on and below the diagonal and -inf above it.</summary>
    private string CausalMask(int length)
    {
        var values = new float[length * length];
        for (int i = 0; i < length; i++)
            for (int j = i + 1; j < length; j++) values[i * length + j] = float.NegativeInfinity;
        return _b.FloatTensor("causal_mask", new[] { length, length }, values);
    }

    /// <summary>
    /// The fused attention node as the primitives it computes: the projection [batch, T, 3E] viewed
    /// [batch, T, 3, H, D] and reordered [3, batch, H, T, D], softmax(q kᵀ / √D (+ mask)) v per head,
    /// and the heads side by side again.
    /// </summary>
    private string Attention(AttentionNode node, string name)
    {
        int t = node.Length, d = node.HeadSize;
        // The binder fuses attention over per-example sequences only.
        string split = Reshape(V(node.Projected), batched: true, new Shape(t, 3, node.Heads, d), "qkv");
        string byHead = _b.Node("Transpose", "heads", new[] { split }, Attribute("perm", 2L, 0L, 3L, 1L, 4L));
        string Part(int k, string what) => _b.Node("Gather", what, new[] { byHead, ScalarIndex(what + "_index", k) }, Attribute("axis", 0L));
        string scaled = _b.Node("Mul", "q_scaled", Part(0, "q"), _b.Scalar((float)(1 / Math.Sqrt(d))));
        string keys = _b.Node("Transpose", "keys", new[] { Part(1, "k") }, Attribute("perm", 0L, 1L, 3L, 2L));
        string scores = _b.Node("MatMul", "scores", scaled, keys);
        if (node.IsCausal) scores = _b.Node("Add", "masked_scores", scores, CausalMask(t));
        string weights = _b.Node("Softmax", "weights", new[] { scores }, Attribute("axis", 3L));
        string context = _b.Node("MatMul", "context_heads", weights, Part(2, "v"));
        string merged = _b.Node("Transpose", "context_positions", new[] { context }, Attribute("perm", 0L, 2L, 1L, 3L));
        return Reshape(merged, batched: true, node.Shape, name);
    }

    private string Slice(SliceNode node, string name)
    {
        var x = node.X;
        int offset = Offset(x);
        // A whole row of the first axis (a time step) is a Gather with a scalar index.
        int rowSize = x.Shape.Rank >= 1 ? x.Shape.Size / x.Shape[0] : 0;
        if (x.Shape.Rank >= 2 && node.Start % rowSize == 0 && node.Shape.Dims.SequenceEqual(x.Shape.Dims.Skip(1)))
        {
            return _b.Node("Gather", name, new[] { V(x), ScalarIndex("step_index", node.Start / rowSize) }, Attribute("axis", (long)offset));
        }
        string flat = x.Shape.Rank == 1 ? V(x) : Reshape(V(x), x.IsBatched, new Shape(x.Shape.Size), "flat");
        bool reshaped = node.Shape.Rank != 1;
        string cut = _b.Node("Slice", reshaped ? "cut" : name, flat,
            _b.Int64s("starts", node.Start), _b.Int64s("ends", node.Start + node.Shape.Size), _b.Int64s("axes", offset));
        return reshaped ? Reshape(cut, node.IsBatched, node.Shape, name) : cut;
    }

    private string Reduce(ReduceNode node, string name)
    {
        int offset = Offset(node.X);
        if (node.X.Shape.Rank == 0) return V(node.X);
        var axes = node.Axis is int a
            ? new long[] { a + offset }
            : Enumerable.Range(offset, node.X.Shape.Rank).Select(d => (long)d).ToArray();
        var keep = Attribute("keepdims", 0L);
        return node.Kind switch
        {
            // ReduceSum takes its axes as an input from opset 13; ReduceMean and ReduceMax only from 18.
            ReduceKind.Sum => _b.Node("ReduceSum", name, new[] { V(node.X), _b.Int64s("axes", axes) }, keep),
            ReduceKind.Mean => _b.Node("ReduceMean", name, new[] { V(node.X) }, Attribute("axes", axes), keep),
            _ => _b.Node("ReduceMax", name, new[] { V(node.X) }, Attribute("axes", axes), keep),
        };
    }
}
