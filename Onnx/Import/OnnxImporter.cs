using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using P = Onnx;

namespace ModelC.Onnx.Import;

/// <summary>
/// Translates an ONNX inference graph into a .model text and its weights. Each ONNX value is
/// tracked with its per-example shape and the position of its batch axis (PyTorch's recurrent
/// layers move the batch to axis 1 and back), so every op turns into the ModelC expression that
/// computes the same numbers for one example. Layers keep PyTorch's names where the graph has them
/// (fc1.weight makes layer fc1), and their weights are rearranged into ModelC's layouts (ONNX's
/// LSTM gate order i, o, f, c becomes i, f, g, o; GRU's z, r, h becomes r, z, n).
/// </summary>
internal sealed partial class OnnxImporter
{
    public static readonly IReadOnlyList<string> SupportedOps = new[]
    {
        "Abs", "Add", "AveragePool", "BatchNormalization", "Concat", "Constant", "Conv", "Div", "Dropout", "Elu", "Exp",
        "Flatten", "GRU", "Gather", "Gemm", "GlobalAveragePool", "Identity", "LSTM", "LayerNormalization", "LeakyRelu", "Log",
        "LogSoftmax", "MatMul", "MaxPool", "Mul", "Neg", "Relu", "Reshape", "Sigmoid", "Softmax", "Softplus", "Sqrt",
        "Squeeze", "Sub", "Tanh", "Transpose", "Unsqueeze",
    };

    /// <summary>A value of the graph: a ModelC expression with its per-example dims, or a constant.</summary>
    private sealed class Value
    {
        /// <summary>The ModelC expression (a name or a literal); null for constants not yet used as data.</summary>
        public string? Expr;
        public int[] Dims = Array.Empty<int>();
        /// <summary>Where the batch sits among the ONNX dims; -1 for a constant (no batch).</summary>
        public int BatchAxis;
        public float[]? Floats;
        public long[]? Ints;
        /// <summary>An initializer's name, to name the parameters made from it.</summary>
        public string? Source;
        /// <summary>Set for an int64 graph input: only Gather may read it, as class ids.</summary>
        public string? ClassIdInput;
        /// <summary>For the zero state a ConstantOfShape gives a recurrent layer.</summary>
        public bool IsZeros;
        /// <summary>
        /// Set when the value is Expr's elements seen under other dims (a reshape, squeeze or unsqueeze not
        /// yet written): the dims of Expr. The reshape is written only if an op reads the value.
        /// </summary>
        public int[]? BaseDims;

        public bool IsConstant => BatchAxis < 0;
        /// <summary>The ONNX dims with the batch (as -1) at its place.</summary>
        public int[] FullDims => IsConstant ? Dims : Dims.Take(BatchAxis).Append(-1).Concat(Dims.Skip(BatchAxis)).ToArray();
    }

    private readonly string _path;
    private readonly P.ModelProto _proto;
    private readonly P.GraphProto _graph;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _identifiers = new(StringComparer.Ordinal);
    private readonly List<string> _layers = new();
    private readonly List<string> _params = new();
    /// <summary>Statements of the body with their comments, aligned when the text is written.</summary>
    private readonly List<(string Statement, string Comment)> _lets = new();
    private readonly List<ImportedTensor> _tensors = new();
    private readonly Dictionary<string, int> _classIdInputs = new(StringComparer.Ordinal);
    private int _opset;
    private int _letCounter;

    private OnnxImporter(string path, P.ModelProto proto)
    {
        _path = path;
        _proto = proto;
        _graph = proto.Graph;
    }

    public static OnnxTranslation Import(string path, P.ModelProto proto, string modelName) =>
        new OnnxImporter(path, proto).Run(modelName);

    private OnnxTranslation Run(string modelName)
    {
        var opset = _proto.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        if (opset is null) throw OnnxReader.Invalid(_path, "the model imports no version of the default ONNX domain");
        _opset = (int)opset.Version;
        if (_opset < 11) throw OnnxReader.Invalid(_path, $"opset {_opset} is older than the oldest this importer reads (11)");
        if (_graph.Output.Count == 0) throw OnnxReader.Invalid(_path, "the graph has no outputs");

        foreach (var keyword in Keywords) _identifiers.Add(keyword);
        foreach (var init in _graph.Initializer) AddInitializer(init);
        var inputNames = new List<(string Onnx, string ModelC)>();
        foreach (var input in _graph.Input)
        {
            if (_values.ContainsKey(input.Name)) continue; // an initializer listed as an input (IR < 4)
            inputNames.Add((input.Name, AddInput(input)));
        }
        foreach (var node in _graph.Node)
            foreach (var input in node.Input)
                _uses[input] = _uses.TryGetValue(input, out var n) ? n + 1 : 1;
        foreach (var output in _graph.Output)
            _uses[output.Name] = _uses.TryGetValue(output.Name, out var n) ? n + 1 : 1;

        var needed = NeededNodes();
        foreach (var node in _graph.Node)
            if (needed.Contains(node)) Translate(node);

        var outputs = new List<string>();
        foreach (var output in _graph.Output)
        {
            if (!_values.TryGetValue(output.Name, out var value))
                throw OnnxReader.Invalid(_path, $"graph output '{output.Name}' is computed by no node");
            if (value.IsConstant) throw Unsupported(null, $"graph output '{output.Name}' is a constant");
            if (value.BatchAxis != 0) throw Unsupported(null, $"graph output '{output.Name}' keeps its batch on axis {value.BatchAxis}, not 0");
            string name = Identifier(output.Name);
            string expr = Data(value, output.Name);
            int line = _lets.FindIndex(l => l.Statement.StartsWith($"    let {expr} = ", StringComparison.Ordinal));
            if (line < 0)
            {
                outputs.Add($"    output {name} = {expr};");
                continue;
            }
            // The let that computes the output becomes the output statement, and later lines read it by its name.
            _lets[line] = ($"    output {name} = " + _lets[line].Statement.Substring($"    let {expr} = ".Length), _lets[line].Comment);
            var reference = new System.Text.RegularExpressions.Regex($@"\b{expr}\b");
            for (int i = line + 1; i < _lets.Count; i++)
                _lets[i] = (reference.Replace(_lets[i].Statement, name), _lets[i].Comment);
            value.Expr = name;
        }

        var text = new StringBuilder();
        text.Append("// Imported from ").Append(System.IO.Path.GetFileName(_path)).Append(" (ONNX opset ").Append(_opset)
            .Append(_proto.ProducerName is { Length: > 0 } producer ? $", written by {producer} {_proto.ProducerVersion}".TrimEnd() : "").Append(").\n");
        text.Append("model ").Append(modelName).Append(" {\n");
        foreach (var (onnxName, name) in inputNames)
        {
            var value = _values[onnxName];
            string type = value.ClassIdInput is not null
                ? (_classIdInputs.TryGetValue(onnxName, out int classes) ? $"int<{classes}>" : throw Unsupported(null, $"int64 input '{onnxName}' is not used as rows of an embedding (Gather)"))
                  + (value.Dims.Length == 0 ? "" : $"[{string.Join(", ", value.Dims)}]")
                : $"float[{string.Join(", ", value.Dims)}]";
            text.Append("    input ").Append(name).Append(" : ").Append(type).Append(";\n");
        }
        foreach (var line in _params.Concat(_layers)) text.Append(line).Append('\n');
        text.Append('\n');
        int width = _lets.Select(l => l.Statement.Length).DefaultIfEmpty(0).Max();
        foreach (var (statement, comment) in _lets) text.Append(statement.PadRight(width)).Append("  // ").Append(comment).Append('\n');
        foreach (var line in outputs) text.Append(line).Append('\n');
        text.Append("}\n");
        return new OnnxTranslation(modelName, text.ToString(), _tensors);
    }

    private static readonly string[] Keywords =
    {
        "namespace", "model", "block", "forward", "input", "target", "layer", "param", "let", "output", "loss", "train",
        "return", "float", "int", "params",
    };

    /// <summary>The nodes the outputs need; a recurrent layer's zero initial state and its shape computation are not needed.</summary>
    private HashSet<P.NodeProto> NeededNodes()
    {
        var producers = new Dictionary<string, P.NodeProto>(StringComparer.Ordinal);
        foreach (var node in _graph.Node)
            foreach (var output in node.Output)
            {
                if (output.Length == 0) continue;
                if (producers.TryGetValue(output, out var first))
                    throw OnnxReader.Invalid(_path, $"value '{output}' is produced twice (by '{first.Name}' and '{node.Name}')");
                producers[output] = node;
            }
        var needed = new HashSet<P.NodeProto>();
        var stack = new Stack<string>(_graph.Output.Select(o => o.Name));
        while (stack.Count > 0)
        {
            if (!producers.TryGetValue(stack.Pop(), out var node) || !needed.Add(node)) continue;
            bool recurrent = node.OpType is "LSTM" or "GRU";
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (recurrent && i >= 4)
                {
                    // The initial state: a zero tensor from ConstantOfShape, whose shape input is a batch-size computation.
                    if (node.Input[i].Length > 0 && producers.TryGetValue(node.Input[i], out var state) && state.OpType == "ConstantOfShape")
                        needed.Add(state);
                    else if (node.Input[i].Length > 0) stack.Push(node.Input[i]);
                    continue;
                }
                stack.Push(node.Input[i]);
            }
        }
        return needed;
    }

    private void AddInitializer(P.TensorProto init)
    {
        if (string.IsNullOrEmpty(init.Name)) throw OnnxReader.Invalid(_path, "an initializer has no name");
        if (_values.ContainsKey(init.Name)) throw OnnxReader.Invalid(_path, $"initializer '{init.Name}' is declared twice");
        _values[init.Name] = ConstantOf(init);
    }

    private Value ConstantOf(P.TensorProto tensor)
    {
        var dims = OnnxReader.Dims(_path, tensor);
        return tensor.DataType == (int)P.TensorProto.Types.DataType.Int64
            ? new Value { BatchAxis = -1, Dims = dims, Ints = OnnxReader.Int64s(_path, tensor), Source = tensor.Name }
            : new Value { BatchAxis = -1, Dims = dims, Floats = OnnxReader.Floats(_path, tensor), Source = tensor.Name };
    }

    private string AddInput(P.ValueInfoProto input)
    {
        var tensorType = input.Type?.TensorType;
        if (tensorType is null) throw Unsupported(null, $"graph input '{input.Name}' is not a tensor");
        var shape = tensorType.Shape;
        if (shape is null || shape.Dim.Count == 0)
            throw Unsupported(null, $"graph input '{input.Name}' has no shape; ModelC needs [batch, ...] with every dimension but the batch fixed");
        var dims = new int[shape.Dim.Count - 1];
        for (int i = 1; i < shape.Dim.Count; i++)
        {
            var d = shape.Dim[i];
            if (d.ValueCase != P.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue <= 0 || d.DimValue > int.MaxValue)
                throw Unsupported(null, $"graph input '{input.Name}' [{string.Join(", ", OnnxReader.DimensionsOf(input))}] has the dynamic dimension " +
                    $"'{(d.DimParam is { Length: > 0 } p ? p : "?")}' on axis {i}; ModelC needs every dimension but the batch (axis 0) fixed: re-export with a fixed size there");
            dims[i - 1] = (int)d.DimValue;
        }
        string name = Identifier(input.Name);
        var value = new Value { Expr = name, Dims = dims, BatchAxis = 0 };
        if (tensorType.ElemType is (int)P.TensorProto.Types.DataType.Int64 or (int)P.TensorProto.Types.DataType.Int32)
            value.ClassIdInput = name;
        else if (tensorType.ElemType != (int)P.TensorProto.Types.DataType.Float)
            throw Unsupported(null, $"graph input '{input.Name}' holds {OnnxReader.DataTypeName(tensorType.ElemType)}; ModelC reads float32 data and int64 class ids");
        _values[input.Name] = value;
        return name;
    }

    /// <summary>A ModelC name for an ONNX name: letters, digits and _, not a keyword, not taken.</summary>
    private string Identifier(string wanted)
    {
        var text = new StringBuilder();
        foreach (char ch in wanted)
            text.Append(OnnxTranslator.IsAsciiLetterOrDigit(ch) ? ch : '_');
        string name = string.Join("_", text.ToString().Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries));
        if (name.Length == 0) name = "v";
        if (OnnxTranslator.IsAsciiDigit(name[0])) name = "v" + name;
        if (_identifiers.Add(name)) return name;
        for (int i = 2; ; i++)
            if (_identifiers.Add($"{name}{i}")) return $"{name}{i}";
    }

    private NotSupportedException Unsupported(P.NodeProto? node, string problem) =>
        new($"{_path}: {(node is null ? "" : $"node '{node.Name}' ({node.OpType}): ")}{problem}.");

    private static string Number(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture) switch
    {
        var s when s.IndexOf('E') >= 0 => ((float)value).ToString("0.0#########E+0", CultureInfo.InvariantCulture).Replace("E+", "e").Replace("E-", "e-"),
        var s => s,
    };

    private static string DimsText(IEnumerable<int> dims) => "[" + string.Join(", ", dims) + "]";

    /// <summary>Declares `let hN = expr;` with a comment naming the ONNX node, and returns hN.</summary>
    private Value Let(P.NodeProto node, string expr, int[] dims, int batchAxis = 0)
    {
        string name = $"h{++_letCounter}";
        _identifiers.Add(name);
        _lets.Add(($"    let {name} = {expr};", $"{node.OpType}{(node.Name.Length > 0 ? " " + node.Name : "")} -> {DimsText(dims)}"));
        return new Value { Expr = name, Dims = dims, BatchAxis = batchAxis };
    }

    /// <summary>A name for a layer: PyTorch's module path ("/fc1/Gemm" gives fc1), else its weight's ("fc1.weight"), else the op.</summary>
    private string LayerName(P.NodeProto node, string? weight, string kind)
    {
        if (weight is not null && weight.EndsWith(".weight", StringComparison.Ordinal)) return Identifier(weight.Substring(0, weight.Length - ".weight".Length));
        var parts = node.Name.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 2) return Identifier(string.Join("_", parts.Take(parts.Length - 1)));
        return Identifier(kind);
    }

    private Value Input(P.NodeProto node, int index)
    {
        if (index >= node.Input.Count || node.Input[index].Length == 0)
            throw OnnxReader.Invalid(_path, $"node '{node.Name}' ({node.OpType}) lacks its input {index + 1}");
        string name = node.Input[index];
        return _values.TryGetValue(name, out var value)
            ? value
            : throw OnnxReader.Invalid(_path, $"node '{node.Name}' ({node.OpType}) reads '{name}', which no initializer, input or earlier node defines (nodes must come in topological order)");
    }

    private bool HasInput(P.NodeProto node, int index) => index < node.Input.Count && node.Input[index].Length > 0;

    /// <summary>A value as per-example data: batched values as they are; float constants as literals (scalars) or params.</summary>
    private string Data(Value value, string what)
    {
        if (value.ClassIdInput is not null) throw Unsupported(null, $"the int64 input '{value.ClassIdInput}' is used as numbers; ModelC reads int64 inputs only as class ids (embedding rows)");
        if (value.Expr is not null && value.BaseDims is not null && !value.BaseDims.SequenceEqual(value.Dims))
        {
            string view = $"h{++_letCounter}";
            _identifiers.Add(view);
            _lets.Add(($"    let {view} = reshape({value.Expr}, {DimsText(value.Dims)});", $"{what} -> {DimsText(value.Dims)}"));
            value.Expr = view;
            value.BaseDims = null;
        }
        if (value.Expr is not null) return value.Expr;
        if (value.Floats is null) throw Unsupported(null, $"the int64 constant '{what}' is used as data");
        if (value.Floats.Length == 1 && value.Dims.Length <= 1) return value.Expr = Number(value.Floats[0]);
        string name = Identifier(value.Source ?? what);
        _params.Add($"    param {name} : float{DimsText(value.Dims)};");
        _tensors.Add(new ImportedTensor(name, value.Dims, value.Floats));
        return value.Expr = name;
    }

    /// <summary>x's elements under other dims, written as a reshape only when something reads them.</summary>
    private static Value View(Value x, int[] dims, int batchAxis) =>
        new() { Expr = x.Expr, Dims = dims, BatchAxis = batchAxis, BaseDims = x.BaseDims ?? x.Dims };

    private P.AttributeProto? Attribute(P.NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
    private long Int(P.NodeProto node, string name, long fallback) => Attribute(node, name) is { } a ? a.I : fallback;
    private float Float(P.NodeProto node, string name, float fallback) => Attribute(node, name) is { } a ? a.F : fallback;
    private long[]? Ints(P.NodeProto node, string name) => Attribute(node, name)?.Ints.ToArray();
    private string? Text(P.NodeProto node, string name) => Attribute(node, name)?.S.ToStringUtf8();

    private void Set(P.NodeProto node, Value value, int output = 0)
    {
        if (output < node.Output.Count && node.Output[output].Length > 0) _values[node.Output[output]] = value;
    }

    private void NoOtherOutputs(P.NodeProto node, int kept)
    {
        for (int i = kept; i < node.Output.Count; i++)
            if (node.Output[i].Length > 0 && _uses.ContainsKey(node.Output[i]))
                throw Unsupported(node, $"its output {i + 1} ('{node.Output[i]}') is used, and ModelC computes only the first {kept}");
    }
}

