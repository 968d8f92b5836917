using System;
using System.Collections.Generic;
using System.Linq;
using P = Onnx;

namespace ModelC.Onnx.Import;

/// <summary>One method per ONNX op: its checks, its ModelC expression, its shape and weights.</summary>
internal sealed partial class OnnxImporter
{
    private void Translate(P.NodeProto node)
    {
        switch (node.OpType)
        {
            case "Constant": Set(node, ConstantNode(node)); return;
            case "Identity": Set(node, Input(node, 0)); return;
            case "Dropout":
                // Inference: the identity. Its mask output has no ModelC value.
                NoOtherOutputs(node, 1);
                Set(node, Input(node, 0));
                return;
            case "ConstantOfShape":
                if (Attribute(node, "value") is { } fill && OnnxReader.Floats(_path, fill.T).Any(v => v != 0))
                    throw Unsupported(node, "only a zero initial state of a recurrent layer is supported");
                Set(node, new Value { BatchAxis = -1, IsZeros = true });
                return;
            case "Relu": Unary(node, x => $"relu({x})"); return;
            case "Sigmoid": Unary(node, x => $"sigmoid({x})"); return;
            case "Tanh": Unary(node, x => $"tanh({x})"); return;
            case "Softplus": Unary(node, x => $"softplus({x})"); return;
            case "Exp": Unary(node, x => $"exp({x})"); return;
            case "Log": Unary(node, x => $"log({x})"); return;
            case "Sqrt": Unary(node, x => $"sqrt({x})"); return;
            case "Abs": Unary(node, x => $"abs({x})"); return;
            case "Neg": Unary(node, x => $"-{x}"); return;
            case "LeakyRelu": { var a = Float(node, "alpha", 0.01f); Unary(node, x => $"leaky_relu({x}, {Number(a)})"); return; }
            case "Elu": { var a = Float(node, "alpha", 1f); Unary(node, x => $"elu({x}, {Number(a)})"); return; }
            case "Add" when _fusedAdds.TryGetValue(node, out var dense):
                // The bias of the dense layer made from the MatMul before it.
                Set(node, dense);
                return;
            case "Add": Binary(node, "+"); return;
            case "Sub": Binary(node, "-"); return;
            case "Mul": Binary(node, "*"); return;
            case "Div": Binary(node, "/"); return;
            case "Softmax":
            case "LogSoftmax": Softmax(node); return;
            case "Gemm": Gemm(node); return;
            case "MatMul": MatMul(node); return;
            case "Conv": Conv(node); return;
            case "MaxPool":
            case "AveragePool": Pool(node); return;
            case "GlobalAveragePool": GlobalAveragePool(node); return;
            case "BatchNormalization": BatchNorm(node); return;
            case "LayerNormalization": LayerNorm(node); return;
            case "Flatten": Flatten(node); return;
            case "Reshape": Reshape(node); return;
            case "Transpose": Transpose(node); return;
            case "Squeeze":
            case "Unsqueeze": SqueezeOrUnsqueeze(node); return;
            case "Concat": Concat(node); return;
            case "Gather": Gather(node); return;
            case "LSTM":
            case "GRU": Recurrent(node); return;
            default:
                throw Unsupported(node, $"the op type '{node.OpType}' is not supported; supported: {string.Join(", ", SupportedOps)}");
        }
    }

    private Value ConstantNode(P.NodeProto node)
    {
        var value = Attribute(node, "value");
        if (value?.T is null) throw Unsupported(node, "only a Constant with a 'value' tensor is supported");
        var constant = ConstantOf(value.T);
        constant.Source = node.Output.Count > 0 ? node.Output[0] : node.Name;
        return constant;
    }

    /// <summary>A batched input of an op that acts on one example with the batch on axis 0.</summary>
    private Value Batched(P.NodeProto node, int index)
    {
        var value = Input(node, index);
        if (value.IsConstant) throw Unsupported(node, $"input {index + 1} ('{node.Input[index]}') is a constant; ModelC needs it to depend on the graph's inputs");
        if (value.BatchAxis != 0) throw Unsupported(node, $"input '{node.Input[index]}' has its batch on axis {value.BatchAxis}; this op needs it on axis 0");
        return value;
    }

    private Value Constant(P.NodeProto node, int index, string what)
    {
        var value = Input(node, index);
        if (!value.IsConstant || (value.Floats is null && value.Ints is null))
            throw Unsupported(node, $"its {what} ('{node.Input[index]}') must be an initializer or a Constant");
        return value;
    }

    private float[] Floats(P.NodeProto node, int index, string what, int length)
    {
        var value = Constant(node, index, what);
        if (value.Floats is null || value.Floats.Length != length)
            throw Unsupported(node, $"its {what} ('{node.Input[index]}') must hold {length} float32 values");
        return value.Floats;
    }

    private int Axis(P.NodeProto node, long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw OnnxReader.Invalid(_path, $"node '{node.Name}' ({node.OpType}) has axis {axis}, outside a rank-{rank} tensor");
        return (int)a;
    }

    private void Unary(P.NodeProto node, Func<string, string> expr)
    {
        var x = Batched(node, 0);
        Set(node, Let(node, expr(Data(x, node.Input[0])), x.Dims));
    }

    private void Binary(P.NodeProto node, string op)
    {
        var a = Input(node, 0);
        var b = Input(node, 1);
        if (a.IsConstant && b.IsConstant) throw Unsupported(node, "both operands are constants (fold them before importing)");
        var batched = a.IsConstant ? b : a;
        if (batched.BatchAxis != 0) throw Unsupported(node, $"an operand has its batch on axis {batched.BatchAxis}; this op needs it on axis 0");
        var left = PerExample(node, 0, a, batched);
        var right = PerExample(node, 1, b, batched);
        var dims = Broadcast(left.Dims, right.Dims) ?? throw Unsupported(node, $"its operands' shapes {DimsText(left.Dims)} and {DimsText(right.Dims)} do not broadcast");
        Set(node, Let(node, $"{Data(left, node.Input[0])} {op} {Data(right, node.Input[1])}", dims));
    }

    /// <summary>
    /// An operand of an elementwise op seen per example. A constant of the data's full rank has a 1
    /// where the batch goes (NumPy aligns trailing axes), so per example it is the rest.
    /// </summary>
    private Value PerExample(P.NodeProto node, int index, Value operand, Value batched)
    {
        int fullRank = batched.Dims.Length + 1;
        if (!operand.IsConstant)
        {
            if (operand.BatchAxis != 0 || operand.Dims.Length != batched.Dims.Length)
                throw Unsupported(node, "its operands have different ranks or batch axes; ModelC broadcasts within one example");
            return operand;
        }
        if (operand.Dims.Length > fullRank) throw Unsupported(node, $"the constant '{node.Input[index]}' has a higher rank than the data");
        if (operand.Dims.Length < fullRank) return operand;
        if (operand.Dims[0] != 1) throw Unsupported(node, $"the constant '{node.Input[index]}' {DimsText(operand.Dims)} varies along the batch axis");
        var reduced = new Value { BatchAxis = -1, Dims = operand.Dims.Skip(1).ToArray(), Floats = operand.Floats, Ints = operand.Ints, Source = operand.Source };
        _values[node.Input[index]] = reduced;
        return reduced;
    }

    private static int[]? Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)], db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1) return null;
            dims[i] = Math.Max(da, db);
        }
        return dims;
    }

    private void Softmax(P.NodeProto node)
    {
        var x = Batched(node, 0);
        int fullRank = x.Dims.Length + 1;
        int axis = Axis(node, Int(node, "axis", _opset >= 13 ? -1 : 1), fullRank);
        // Before opset 13 softmax ran over all axes from `axis` on: the same as the last axis when it is the last.
        if (axis != fullRank - 1) throw Unsupported(node, $"softmax over axis {axis}; ModelC's softmax acts on the last axis ({fullRank - 1})");
        Set(node, Let(node, $"{(node.OpType == "Softmax" ? "softmax" : "log_softmax")}({Data(x, node.Input[0])})", x.Dims));
    }

    private void Gemm(P.NodeProto node)
    {
        var x = Batched(node, 0);
        if (x.Dims.Length != 1) throw Unsupported(node, "Gemm needs a matrix [batch, features]");
        if (Int(node, "transA", 0) != 0) throw Unsupported(node, "transA = 1 would transpose the batch away");
        if (Float(node, "alpha", 1) != 1 || (HasInput(node, 2) && Float(node, "beta", 1) != 1))
            throw Unsupported(node, "alpha and beta other than 1");
        var w = Constant(node, 1, "weight");
        if (w.Floats is null || w.Dims.Length != 2) throw Unsupported(node, "its weight must be a float32 matrix");
        bool transB = Int(node, "transB", 0) != 0;
        int inFeatures = transB ? w.Dims[1] : w.Dims[0], outFeatures = transB ? w.Dims[0] : w.Dims[1];
        if (inFeatures != x.Dims[0]) throw Unsupported(node, $"its weight takes {inFeatures} features but the input has {x.Dims[0]}");
        float[]? bias = null;
        if (HasInput(node, 2))
        {
            var c = Constant(node, 2, "bias");
            if (c.Floats is null || c.Floats.Length != outFeatures || c.Dims.Count(d => d != 1) > 1)
                throw Unsupported(node, $"its bias must hold {outFeatures} float32 values, one per output");
            bias = c.Floats;
        }
        var weight = transB ? w.Floats : TransposeMatrix(w.Floats, inFeatures, outFeatures);
        string layer = Dense(node, node.Input[1], outFeatures, inFeatures, weight, bias);
        Set(node, Let(node, $"{layer}({Data(x, node.Input[0])})", new[] { outFeatures }));
    }

    private string Dense(P.NodeProto node, string weightName, int outFeatures, int inFeatures, float[] weight, float[]? bias)
    {
        string layer = LayerName(node, weightName, "dense");
        _layers.Add($"    layer {layer} = dense({outFeatures}{(bias is null ? ", bias: false" : "")});");
        _tensors.Add(new ImportedTensor(layer + ".weight", new[] { outFeatures, inFeatures }, weight));
        if (bias is not null) _tensors.Add(new ImportedTensor(layer + ".bias", new[] { outFeatures }, bias));
        return layer;
    }

    private static float[] TransposeMatrix(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                result[c * rows + r] = values[r * columns + c];
        return result;
    }

    private void MatMul(P.NodeProto node)
    {
        var a = Batched(node, 0);
        var b = Input(node, 1);
        if (a.Dims.Length is < 1 or > 2) throw Unsupported(node, "ModelC's @ takes a vector or a matrix per example");
        if (b.IsConstant)
        {
            if (b.Floats is null || b.Dims.Length != 2 || b.Dims[0] != a.Dims[a.Dims.Length - 1])
                throw Unsupported(node, $"its constant operand must be a float32 matrix [{a.Dims[a.Dims.Length - 1]}, n]");
            int outFeatures = b.Dims[1];
            var dims = a.Dims.Take(a.Dims.Length - 1).Append(outFeatures).ToArray();
            // x @ W + b with W [in, out], the way PyTorch writes nn.Linear on a sequence: a dense layer.
            var add = _graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Contains(node.Output[0]));
            if (add is not null && _uses.TryGetValue(node.Output[0], out int outputUses) && outputUses == 1)
            {
                string other = add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0];
                if (_values.TryGetValue(other, out var bias) && bias.IsConstant && bias.Floats?.Length == outFeatures && bias.Dims.Length == 1)
                {
                    string layer = Dense(add, bias.Source ?? node.Input[1], outFeatures, b.Dims[0], TransposeMatrix(b.Floats, b.Dims[0], outFeatures), bias.Floats);
                    var result = Let(node, $"{layer}({Data(a, node.Input[0])})", dims);
                    Set(node, result);
                    _fusedAdds[add] = result;
                    return;
                }
            }
            Set(node, Let(node, $"{Data(a, node.Input[0])} @ {Data(b, node.Input[1])}", dims));
            return;
        }
        if (b.BatchAxis != 0 || a.Dims.Length != 2 || b.Dims.Length != 2 || a.Dims[1] != b.Dims[0])
            throw Unsupported(node, "a product of two per-example tensors needs matrices [m, k] @ [k, n] with the batch on axis 0");
        Set(node, Let(node, $"{Data(a, node.Input[0])} @ {Data(b, node.Input[1])}", new[] { a.Dims[0], b.Dims[1] }));
    }

    /// <summary>Adds whose bias went into a dense layer, with that layer's value.</summary>
    private readonly Dictionary<P.NodeProto, Value> _fusedAdds = new();

    private (int Kernel, int Stride, long[] Pads) Window(P.NodeProto node, int[] weightKernel)
    {
        var kernel = Ints(node, "kernel_shape") ?? weightKernel.Select(k => (long)k).ToArray();
        if (kernel.Length != 2 || kernel[0] != kernel[1]) throw Unsupported(node, $"a {string.Join("x", kernel)} window; ModelC's windows are square and 2-D");
        var strides = Ints(node, "strides") ?? new long[] { 1, 1 };
        if (strides.Length != 2 || strides[0] != strides[1] || strides[0] < 1) throw Unsupported(node, $"strides {string.Join(", ", strides)}; ModelC moves windows by one stride in both directions");
        if ((Ints(node, "dilations") ?? new long[] { 1, 1 }).Any(d => d != 1)) throw Unsupported(node, "dilations other than 1");
        if (Text(node, "auto_pad") is { } autoPad && autoPad is not ("NOTSET" or "VALID" or "")) throw Unsupported(node, $"auto_pad {autoPad}; give explicit pads");
        var pads = Ints(node, "pads") ?? new long[4];
        if (pads.Length != 4 || pads.Any(p => p < 0)) throw Unsupported(node, "pads must be four non-negative numbers");
        return ((int)kernel[0], (int)strides[0], pads);
    }

    private void Conv(P.NodeProto node)
    {
        var x = Batched(node, 0);
        if (x.Dims.Length != 3) throw Unsupported(node, "ModelC's conv2d takes images [C, H, W]");
        if (Int(node, "group", 1) != 1) throw Unsupported(node, "grouped convolutions");
        var w = Constant(node, 1, "weight");
        if (w.Floats is null || w.Dims.Length != 4 || w.Dims[1] != x.Dims[0]) throw Unsupported(node, $"its weight must be float32 [filters, {x.Dims[0]}, k, k]");
        var (k, stride, pads) = Window(node, w.Dims.Skip(2).ToArray());
        string padding;
        if (pads.All(p => p == pads[0])) padding = pads[0] == 0 ? "" : $", padding: {pads[0]}";
        else if (stride == 1 && pads[0] == (k - 1) / 2 && pads[1] == (k - 1) / 2 && pads[2] == k - 1 - (k - 1) / 2 && pads[3] == k - 1 - (k - 1) / 2) padding = ", padding: same";
        else throw Unsupported(node, $"pads {string.Join(", ", pads)}; ModelC pads every side alike, or as 'same'");
        int filters = w.Dims[0];
        float[]? bias = HasInput(node, 2) ? Floats(node, 2, "bias", filters) : null;
        string layer = LayerName(node, node.Input[1], "conv");
        _layers.Add($"    layer {layer} = conv2d({filters}, {k}{(stride == 1 ? "" : $", stride: {stride}")}{padding}{(bias is null ? ", bias: false" : "")});");
        _tensors.Add(new ImportedTensor(layer + ".weight", w.Dims, w.Floats));
        if (bias is not null) _tensors.Add(new ImportedTensor(layer + ".bias", new[] { filters }, bias));
        int p = (int)pads[0], pEnd = (int)pads[2];
        int oh = (x.Dims[1] + p + pEnd - k) / stride + 1, ow = (x.Dims[2] + (int)pads[1] + (int)pads[3] - k) / stride + 1;
        Set(node, Let(node, $"{layer}({Data(x, node.Input[0])})", new[] { filters, oh, ow }));
    }

    private void Pool(P.NodeProto node)
    {
        var x = Batched(node, 0);
        if (x.Dims.Length != 3) throw Unsupported(node, "ModelC pools images [C, H, W]");
        NoOtherOutputs(node, 1);
        var (k, stride, pads) = Window(node, Array.Empty<int>());
        if (pads.Any(p => p != 0)) throw Unsupported(node, "padded pooling");
        if (Int(node, "ceil_mode", 0) != 0) throw Unsupported(node, "ceil_mode = 1");
        string kind = node.OpType == "MaxPool" ? "maxpool2d" : "avgpool2d";
        string layer = LayerName(node, null, kind.Replace("2d", ""));
        _layers.Add($"    layer {layer} = {kind}({k}{(stride == k ? "" : $", stride: {stride}")});");
        var dims = new[] { x.Dims[0], (x.Dims[1] - k) / stride + 1, (x.Dims[2] - k) / stride + 1 };
        Set(node, Let(node, $"{layer}({Data(x, node.Input[0])})", dims));
    }

    private void GlobalAveragePool(P.NodeProto node)
    {
        var x = Batched(node, 0);
        if (x.Dims.Length != 3) throw Unsupported(node, "ModelC pools images [C, H, W]");
        int c = x.Dims[0];
        var pixels = View(x, new[] { c, x.Dims[1] * x.Dims[2] }, 0);
        var mean = Let(node, $"mean({Data(pixels, node.Input[0])}, 1)", new[] { c });
        Set(node, View(mean, new[] { c, 1, 1 }, 0));
    }

    private static bool IsDefaultEpsilon(float epsilon) => Math.Abs(epsilon - 1e-5) < 1e-9;

    private void BatchNorm(P.NodeProto node)
    {
        var x = Batched(node, 0);
        if (x.Dims.Length is not (1 or 3)) throw Unsupported(node, "ModelC's batchnorm takes features [F] or images [C, H, W]");
        if (Int(node, "training_mode", 0) != 0) throw Unsupported(node, "training_mode = 1 in an inference graph");
        NoOtherOutputs(node, 1);
        float epsilon = Float(node, "epsilon", 1e-5f);
        if (!IsDefaultEpsilon(epsilon)) throw Unsupported(node, $"epsilon {epsilon}; ModelC's batchnorm uses 1e-5, as PyTorch's default");
        int c = x.Dims[0];
        string layer = LayerName(node, node.Input[1], "bn");
        _layers.Add($"    layer {layer} = batchnorm();");
        string[] names = { "weight", "bias", "running_mean", "running_var" };
        for (int i = 0; i < 4; i++)
            _tensors.Add(new ImportedTensor($"{layer}.{names[i]}", new[] { c }, Floats(node, i + 1, names[i], c)));
        Set(node, Let(node, $"{layer}({Data(x, node.Input[0])})", x.Dims));
    }

    private void LayerNorm(P.NodeProto node)
    {
        var x = Batched(node, 0);
        int fullRank = x.Dims.Length + 1;
        if (Axis(node, Int(node, "axis", -1), fullRank) != fullRank - 1) throw Unsupported(node, "ModelC's layernorm normalizes the last axis only");
        NoOtherOutputs(node, 1);
        float epsilon = Float(node, "epsilon", 1e-5f);
        if (!IsDefaultEpsilon(epsilon)) throw Unsupported(node, $"epsilon {epsilon}; ModelC's layernorm uses 1e-5, as PyTorch's default");
        int d = x.Dims[x.Dims.Length - 1];
        string layer = LayerName(node, node.Input[1], "ln");
        _layers.Add($"    layer {layer} = layernorm();");
        _tensors.Add(new ImportedTensor(layer + ".weight", new[] { d }, Floats(node, 1, "scale", d)));
        _tensors.Add(new ImportedTensor(layer + ".bias", new[] { d }, HasInput(node, 2) ? Floats(node, 2, "bias", d) : new float[d]));
        Set(node, Let(node, $"{layer}({Data(x, node.Input[0])})", x.Dims));
    }

    private void Flatten(P.NodeProto node)
    {
        var x = Batched(node, 0);
        if (Axis(node, Int(node, "axis", 1), x.Dims.Length + 2) != 1) throw Unsupported(node, "Flatten must keep the batch axis alone (axis = 1)");
        int size = x.Dims.Aggregate(1, (a, b) => a * b);
        Set(node, View(x, new[] { size }, 0));
    }

    private void Reshape(P.NodeProto node)
    {
        var x = Batched(node, 0);
        var shape = Constant(node, 1, "shape").Ints ?? throw Unsupported(node, "its shape must be int64");
        if (shape.Length == 0 || shape[0] is not (0 or -1)) throw Unsupported(node, $"shape [{string.Join(", ", shape)}] must keep the batch on axis 0 (0 or -1 there)");
        if (Int(node, "allowzero", 0) != 0) throw Unsupported(node, "allowzero = 1");
        int size = x.Dims.Aggregate(1, (a, b) => a * b);
        var dims = new int[shape.Length - 1];
        int inferred = -1;
        long known = 1;
        for (int i = 1; i < shape.Length; i++)
        {
            long d = shape[i] == 0 ? (i - 1 < x.Dims.Length ? x.Dims[i - 1] : throw Unsupported(node, "0 copies an axis the input lacks")) : shape[i];
            if (d == -1) { if (inferred >= 0 || shape[0] == -1) throw Unsupported(node, "two inferred (-1) dimensions"); inferred = i - 1; continue; }
            if (d <= 0 || d > int.MaxValue) throw Unsupported(node, $"dimension {d}");
            known *= d;
            if (known > int.MaxValue) throw Unsupported(node, "more elements than one example holds");
            dims[i - 1] = (int)d;
        }
        if (inferred >= 0)
        {
            if (size % known != 0) throw Unsupported(node, $"shape [{string.Join(", ", shape)}] does not divide {size} elements");
            dims[inferred] = (int)(size / known);
        }
        else if (known != size) throw Unsupported(node, $"shape [{string.Join(", ", shape)}] changes the example's {size} elements");
        Set(node, View(x, dims, 0));
    }

    private void Transpose(P.NodeProto node)
    {
        var x = Input(node, 0);
        if (x.IsConstant) throw Unsupported(node, "transposing a constant");
        int fullRank = x.Dims.Length + 1;
        var perm = Ints(node, "perm") ?? Enumerable.Range(0, fullRank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != fullRank || perm.Distinct().Count() != fullRank || perm.Any(p => p < 0 || p >= fullRank))
            throw OnnxReader.Invalid(_path, $"node '{node.Name}' (Transpose) has perm [{string.Join(", ", perm)}], not a permutation of {fullRank} axes");
        int batchAxis = Array.IndexOf(perm, (long)x.BatchAxis);
        // The order of the per-example axes, as positions among them.
        var perExample = perm.Where(p => p != x.BatchAxis).Select(p => (int)(p < x.BatchAxis ? p : p - 1)).ToArray();
        var dims = perExample.Select(p => x.Dims[p]).ToArray();
        if (perExample.SequenceEqual(Enumerable.Range(0, perExample.Length)))
        {
            Set(node, View(x, x.Dims, batchAxis));
            return;
        }
        if (perExample.SequenceEqual(new[] { 1, 0 }))
        {
            Set(node, Let(node, $"transpose({Data(x, node.Input[0])})", dims, batchAxis));
            return;
        }
        throw Unsupported(node, $"perm [{string.Join(", ", perm)}]; ModelC transposes the two axes of a per-example matrix");
    }

    private void SqueezeOrUnsqueeze(P.NodeProto node)
    {
        var x = Input(node, 0);
        if (x.IsConstant) throw Unsupported(node, $"{node.OpType} of a constant");
        bool squeeze = node.OpType == "Squeeze";
        var axes = _opset >= 13 ? (HasInput(node, 1) ? Constant(node, 1, "axes").Ints : null) : Ints(node, "axes");
        var full = x.FullDims.ToList();
        if (squeeze)
        {
            var list = axes is null ? Enumerable.Range(0, full.Count).Where(a => full[a] == 1).ToArray() : axes.Select(a => Axis(node, a, full.Count)).ToArray();
            foreach (int a in list.OrderByDescending(a => a))
            {
                if (full[a] != 1) throw Unsupported(node, $"squeezing axis {a}, which is not of size 1{(full[a] == -1 ? " (it is the batch)" : "")}");
                full.RemoveAt(a);
            }
        }
        else
        {
            if (axes is null) throw Unsupported(node, "Unsqueeze without axes");
            int rank = full.Count + axes.Length;
            foreach (int a in axes.Select(a => Axis(node, a, rank)).OrderBy(a => a)) full.Insert(a, 1);
        }
        int batchAxis = full.IndexOf(-1);
        var dims = full.Where(d => d != -1).ToArray();
        Set(node, View(x, dims, batchAxis));
    }

    private void Concat(P.NodeProto node)
    {
        var parts = Enumerable.Range(0, node.Input.Count).Select(i => Batched(node, i)).ToList();
        int fullRank = parts[0].Dims.Length + 1;
        int axis = Axis(node, Int(node, "axis", 0), fullRank);
        if (axis == 0) throw Unsupported(node, "concatenating along the batch axis");
        if (parts.Any(p => p.Dims.Length != parts[0].Dims.Length)) throw Unsupported(node, "parts of different ranks");
        var dims = (int[])parts[0].Dims.Clone();
        dims[axis - 1] = parts.Sum(p => p.Dims[axis - 1]);
        var values = parts.Select((p, i) => Data(p, node.Input[i]));
        Set(node, Let(node, $"concat({string.Join(", ", values)}, axis: {axis - 1})", dims));
    }

    private void Gather(P.NodeProto node)
    {
        var data = Input(node, 0);
        var indices = Input(node, 1);
        long axis = Int(node, "axis", 0);
        if (data.IsConstant && indices.ClassIdInput is not null)
        {
            // An embedding: rows of a table picked by class ids.
            if (axis != 0 || data.Floats is null || data.Dims.Length != 2) throw Unsupported(node, "an embedding needs a float32 table [rows, dim] gathered on axis 0");
            string input = node.Input[1];
            if (_classIdInputs.TryGetValue(input, out int rows) && rows != data.Dims[0])
                throw Unsupported(node, $"the class ids '{input}' pick rows of tables of {rows} and {data.Dims[0]} rows");
            _classIdInputs[input] = data.Dims[0];
            string layer = LayerName(node, data.Source, "embedding");
            _layers.Add($"    layer {layer} = embedding({data.Dims[0]}, {data.Dims[1]});");
            _tensors.Add(new ImportedTensor(layer + ".weight", data.Dims, data.Floats));
            Set(node, Let(node, $"{layer}({indices.ClassIdInput})", indices.Dims.Append(data.Dims[1]).ToArray()));
            return;
        }
        if (!data.IsConstant && data.BatchAxis == 0 && indices.IsConstant && indices.Ints is { Length: 1 } index && indices.Dims.Length == 0)
        {
            // One step of the first per-example axis: seq[t].
            int a = Axis(node, axis, data.Dims.Length + 1);
            if (a != 1) throw Unsupported(node, "ModelC takes one step of the first per-example axis (ONNX axis 1)");
            long t = index[0] < 0 ? index[0] + data.Dims[0] : index[0];
            if (t < 0 || t >= data.Dims[0]) throw Unsupported(node, $"index {index[0]} outside {data.Dims[0]} steps");
            Set(node, Let(node, $"{Data(data, node.Input[0])}[{t}]", data.Dims.Skip(1).ToArray()));
            return;
        }
        throw Unsupported(node, "ModelC gathers rows of a constant table by int64 inputs (embeddings) or one step of a sequence by a constant index");
    }

    private void Recurrent(P.NodeProto node)
    {
        bool lstm = node.OpType == "LSTM";
        int gates = lstm ? 4 : 3;
        var x = Input(node, 0);
        if (x.IsConstant || x.BatchAxis != 1 || x.Dims.Length != 2)
            throw Unsupported(node, "its input must be a sequence [steps, batch, features] (layout 0)");
        if (Text(node, "direction") is { } direction && direction != "forward") throw Unsupported(node, $"direction {direction}; ModelC's {node.OpType.ToLowerInvariant()} runs forward only");
        if (Int(node, "layout", 0) != 0) throw Unsupported(node, "layout = 1");
        if (Attribute(node, "activations") is not null || Attribute(node, "clip") is not null) throw Unsupported(node, "custom activations or clipping");
        if (lstm && Int(node, "input_forget", 0) != 0) throw Unsupported(node, "input_forget = 1");
        if (!lstm && Int(node, "linear_before_reset", 0) != 1) throw Unsupported(node, "linear_before_reset = 0; ModelC's gru is PyTorch's, which applies the reset after the linear map (1)");
        if (HasInput(node, 4)) throw Unsupported(node, "sequence lengths; ModelC's sequences all have their full length");
        for (int i = 5; i < (lstm ? 7 : 6); i++)
            if (HasInput(node, i) && !Input(node, i).IsZeros && !(Input(node, i).Floats?.All(v => v == 0) ?? false))
                throw Unsupported(node, "a non-zero initial state; ModelC's recurrent layers start from zeros");
        if (lstm && HasInput(node, 7)) throw Unsupported(node, "peephole weights");
        int steps = x.Dims[0], features = x.Dims[1];
        int hidden = (int)Int(node, "hidden_size", 0);
        if (hidden <= 0) throw Unsupported(node, "hidden_size must be given");
        var w = Floats(node, 1, "input weights W", gates * hidden * features);
        var r = Floats(node, 2, "recurrent weights R", gates * hidden * hidden);
        var b = HasInput(node, 3) ? Floats(node, 3, "biases B", 2 * gates * hidden) : new float[2 * gates * hidden];
        // ONNX orders the gates i, o, f, c (LSTM) and z, r, h (GRU); PyTorch and ModelC i, f, g, o and r, z, n.
        int[] order = lstm ? new[] { 0, 2, 3, 1 } : new[] { 1, 0, 2 };
        float[] Reorder(float[] values, int offset, int rowSize)
        {
            var result = new float[gates * hidden * rowSize];
            for (int g = 0; g < gates; g++)
                Array.Copy(values, offset + order[g] * hidden * rowSize, result, g * hidden * rowSize, hidden * rowSize);
            return result;
        }
        string kind = lstm ? "lstm" : "gru";
        string layer = LayerName(node, null, kind);
        _layers.Add($"    layer {layer} = {kind}({hidden});");
        _tensors.Add(new ImportedTensor(layer + ".weight_ih", new[] { gates * hidden, features }, Reorder(w, 0, features)));
        _tensors.Add(new ImportedTensor(layer + ".weight_hh", new[] { gates * hidden, hidden }, Reorder(r, 0, hidden)));
        _tensors.Add(new ImportedTensor(layer + ".bias_ih", new[] { gates * hidden }, Reorder(b, 0, 1)));
        _tensors.Add(new ImportedTensor(layer + ".bias_hh", new[] { gates * hidden }, Reorder(b, gates * hidden, 1)));
        NoOtherOutputs(node, 2);
        var states = Let(node, $"{layer}({Data(x, node.Input[0])})", new[] { steps, hidden }, 0);
        // Y is [steps, directions, batch, hidden]; Y_h the last step, [directions, batch, hidden].
        Set(node, View(states, new[] { steps, 1, hidden }, 2), 0);
        if (node.Output.Count > 1 && node.Output[1].Length > 0 && _uses.ContainsKey(node.Output[1]))
            Set(node, View(Let(node, $"last({states.Expr})", new[] { hidden }), new[] { 1, hidden }, 1), 1);
    }
}
