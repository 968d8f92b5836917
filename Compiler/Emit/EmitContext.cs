using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelC.Compiler.Autodiff;
using ModelC.Compiler.Ir;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// What an op needs to write its code: the writer, and the C# expression that reads a node's
    /// value or gradient at (example b, flat element i). Ops never spell out arena names themselves.
    /// </summary>
    public sealed class EmitContext
    {
        private readonly Func<Node, bool> _wantsGradient;
        private readonly ModelPlan _plan;

        private readonly NamedSpans? _spans;
        private readonly Func<Node, Node, bool>? _overwritesGradient;

        /// <param name="spans">Where a pass's regions get their names; without it, regions are written as span expressions.</param>
        /// <param name="overwritesGradient">(writer, input): the gradients a backward step writes rather than adds to; none without it.</param>
        public EmitContext(SourceWriter writer, Func<Node, bool> wantsGradient, ModelPlan plan, NamedSpans? spans = null,
            Func<Node, Node, bool>? overwritesGradient = null)
        {
            Writer = writer;
            _wantsGradient = wantsGradient;
            _plan = plan;
            _spans = spans;
            _overwritesGradient = overwritesGradient;
        }

        /// <summary>
        /// True when <paramref name="writer"/>'s backward step is the first to reach
        /// <paramref name="input"/>'s gradient, which the step's clear left out: it must write it, not add to it.
        /// </summary>
        public bool OverwritesGradient(Node writer, Node input) => _overwritesGradient?.Invoke(writer, input) ?? false;

        private string Named(string region, Node node, string role) =>
            _spans is null ? region : _spans.Name(region, node, role, _plan.Graph.FileName);

        /// <summary>True when <paramref name="view"/> is <paramref name="of"/>'s values in the same place (see <see cref="ModelPlan.IsView"/>).</summary>
        public bool IsView(Node view, Node of) => _plan.IsView(view, of);

        /// <summary>True when the node has storage (see <see cref="ModelPlan.IsPlaced"/>).</summary>
        public bool IsPlaced(Node node) => _plan.IsPlaced(node);

        public SourceWriter Writer { get; }

        public void Line(string line = "") => Writer.Line(line);
        public SourceWriter.Scope Block(string header) => Writer.Block(header);

        /// <summary>True when the backward pass must produce this node's gradient.</summary>
        public bool WantsGradient(Node node) => _wantsGradient(node);

        /// <summary>Opens the loop over examples (b is the example index inside it); none for a batch-wide value.</summary>
        public SourceWriter.Scope? BatchLoop(Node output) =>
            output.IsBatched ? Writer.Block("for (int b = 0; b < batch; b++)") : null;

        public string Value(Node node, string i) => Access(node, i, gradient: false);
        public string Gradient(Node node, string i) => Access(node, i, gradient: true);

        /// <summary>
        /// A span over all of a node's values (or gradients): the whole batch of a batched node, laid
        /// out [batch, size]. Null for constants and integer data, which kernels never take.
        /// </summary>
        public string? Region(Node node, bool gradient = false)
        {
            string? region = RegionExpression(node, gradient);
            return region is null ? null : Named(region, node, gradient ? "Grad" : "");
        }

        private string? RegionExpression(Node node, bool gradient)
        {
            switch (node.Storage)
            {
                case StorageKind.Parameter:
                    return SpanOf(gradient ? "_gradients" : "_parameters", _plan.Offset(node).ToString(CultureInfo.InvariantCulture), node.Shape.Size.ToString(CultureInfo.InvariantCulture));
                case StorageKind.Global:
                    return SpanOf(gradient ? "_globalGradients" : "_globals", _plan.Offset(node).ToString(CultureInfo.InvariantCulture), node.Shape.Size.ToString(CultureInfo.InvariantCulture));
                case StorageKind.Batched:
                    return SpanOf(gradient ? "_activationGradients" : "_activations", _plan.Offset(node) == 0 ? "0" : $"{_plan.Offset(node)} * batch", $"batch * {node.Shape.Size}");
                case StorageKind.Buffer:
                    return gradient ? null : SpanOf("_buffers", _plan.Offset(node).ToString(CultureInfo.InvariantCulture), node.Shape.Size.ToString(CultureInfo.InvariantCulture));
                default:
                    return null;
            }
        }

        /// <summary>A span over all of a batched integer input (class ids), [batch, size]; null for any other node.</summary>
        public string? IntRegion(Node node) =>
            node.Storage == StorageKind.Int && node.IsBatched
                ? SpanOf("_integers", _plan.Offset(node) == 0 ? "0" : $"{_plan.Offset(node)} * batch", $"batch * {node.Shape.Size}")
                : null;

        /// <summary>How many rows of the given length a node holds in all: "batch * r" for a batched node.</summary>
        public static string Rows(Node node, int rowLength)
        {
            int perExample = node.Shape.Size / rowLength;
            if (!node.IsBatched) return perExample.ToString(CultureInfo.InvariantCulture);
            return perExample == 1 ? "batch" : $"batch * {perExample}";
        }

        private static string SpanOf(string arena, string start, string length) =>
            $"global::System.MemoryExtensions.AsSpan({arena}, {start}, {length})";

        /// <summary>The class that holds the dense kernels generated code calls.</summary>
        public const string Kernels = "global::ModelC.Runtime.Kernels.DenseKernels";
        /// <summary>The batch-1 (matrix-vector) dense kernels with bias and activation fused in.</summary>
        /// <summary>
        /// The arguments after a dense product's sizes that let inference read its weight packed
        /// (ModelC.Runtime.Kernels.PackedWeights, one slot per parameter) once the caller has asked for
        /// it (ReusePackedWeights); training packs it per call, since its weights change every step.
        /// Valid in forward passes, which take <c>training</c>.
        /// </summary>
        public string PackedWeightArguments(ParameterNode weight) =>
            $"ReusePackedWeights && !training ? _packedWeights : null, {_plan.Graph.Parameters.IndexOf(weight)}, _parameterVersion";

        public const string VectorKernels = "global::ModelC.Runtime.Kernels.VectorMatrixKernels";
        /// <summary>The activation kernels fused with dense layers.</summary>
        public const string ActivationKernels = "global::ModelC.Runtime.Kernels.ActivationKernels";

        /// <summary>The scratch slot of an op (per example), e.g. a dropout mask.</summary>
        public string Scratch(Node node, string i) =>
            $"_activations[{Start(_plan.ScratchOffset(node))}b * {node.ScratchSize}{Plus(i)}]";

        /// <summary>
        /// A Span over <paramref name="length"/> values of a node from element i (of example b when
        /// per example), for the vectorized kernels of System.Numerics.Tensors.TensorPrimitives.
        /// </summary>
        public string ValueSpan(Node node, string i, int length) => SpanOf(Access(node, i, gradient: false), length);
        public string GradientSpan(Node node, string i, int length) => SpanOf(Access(node, i, gradient: true), length);

        /// <summary>
        /// A Span over an op's whole scratch region of example b, in the value arena or, with
        /// gradient, the same region of the gradient arena (free scratch for the backward pass).
        /// </summary>
        public string ScratchSpan(Node node, bool gradient = false) =>
            $"global::System.MemoryExtensions.AsSpan({(gradient ? "_activationGradients" : "_activations")}, {Start(_plan.ScratchOffset(node))}b * {node.ScratchSize}, {node.ScratchSize})";

        /// <summary>
        /// A Span over an op's scratch regions of every example ([batch, ScratchSize]), in the value
        /// arena or, with gradient, the gradient arena: for kernels that take a whole batch.
        /// </summary>
        public string ScratchRegion(Node node, bool gradient = false) =>
            Named(SpanOf(gradient ? "_activationGradients" : "_activations", _plan.ScratchOffset(node) == 0 ? "0" : $"{_plan.ScratchOffset(node)} * batch", $"batch * {node.ScratchSize}"),
                node, gradient ? "ScratchGrad" : "Scratch");

        /// <summary>arena[index] as AsSpan(arena, index, length).</summary>
        private static string SpanOf(string element, int length)
        {
            int open = element.IndexOf('[');
            return $"global::System.MemoryExtensions.AsSpan({element.Substring(0, open)}, {element.Substring(open + 1, element.Length - open - 2)}, {length})";
        }

        private string Access(Node node, string i, bool gradient)
        {
            switch (node.Storage)
            {
                case StorageKind.Constant:
                    if (gradient) throw new InvalidOperationException("constants have no gradient");
                    return Literal(((ConstantNode)node).Value);
                case StorageKind.Parameter:
                    return $"{(gradient ? "_gradients" : "_parameters")}[{Absolute(_plan.Offset(node), i)}]";
                case StorageKind.Global:
                    return $"{(gradient ? "_globalGradients" : "_globals")}[{Absolute(_plan.Offset(node), i)}]";
                case StorageKind.Buffer:
                    if (gradient) throw new InvalidOperationException("buffers have no gradient");
                    return $"_buffers[{Absolute(_plan.Offset(node), i)}]";
                case StorageKind.Int:
                    if (gradient) throw new InvalidOperationException("integer data has no gradient");
                    return $"_integers[{Start(_plan.Offset(node))}b * {node.Shape.Size}{Plus(i)}]";
                default:
                    var arena = gradient ? "_activationGradients" : "_activations";
                    return $"{arena}[{Start(_plan.Offset(node))}b * {node.Shape.Size}{Plus(i)}]";
            }
        }

        /// <summary>True when a C# expression mentions the local variable (as a whole word).</summary>
        public static bool Reads(string expression, string local) =>
            System.Text.RegularExpressions.Regex.IsMatch(expression, $@"(?<![\w.]){local}(?!\w)");

        private static string Plus(string i) => i == "0" ? "" : " + " + i;

        /// <summary>Where a per-example region starts: offset-per-example times the batch size ("" for the first region).</summary>
        private static string Start(int offsetPerExample) => offsetPerExample == 0 ? "" : $"{offsetPerExample} * batch + ";

        private static string Absolute(int offset, string i) => offset == 0 ? i : $"{offset}{Plus(i)}";

        /// <summary>A float literal in C#, invariant culture, round-trippable.</summary>
        public static string Literal(double value)
        {
            // Checked after narrowing: a double past float's range is an infinity in the generated code.
            float narrowed = (float)value;
            if (float.IsNaN(narrowed)) return "float.NaN";
            if (float.IsPositiveInfinity(narrowed)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(narrowed)) return "float.NegativeInfinity";
            var text = narrowed.ToString("R", CultureInfo.InvariantCulture);
            if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0) text += ".0";
            return text.StartsWith("-", StringComparison.Ordinal) ? "(" + text + "f)" : text + "f";
        }

        /// <summary>
        /// Writes nested loops over a shape and yields the flat-index expressions of the output and
        /// of each broadcast operand. Same-shaped operands collapse to one flat loop.
        /// </summary>
        public void BroadcastLoops(Shape output, IReadOnlyList<Shape> operands, Action<string, string[]> body)
        {
            if (output.Size == 1)
            {
                body("0", new string[operands.Count].Select(_ => "0").ToArray());
                return;
            }
            bool allSame = true;
            foreach (var s in operands) allSame &= s.Equals(output) || s.Size == 1;
            if (allSame)
            {
                using (Block($"for (int i = 0; i < {output.Size}; i++)"))
                {
                    var idx = new string[operands.Count];
                    for (int k = 0; k < idx.Length; k++) idx[k] = operands[k].Size == 1 ? "0" : "i";
                    body("i", idx);
                }
                return;
            }

            int rank = output.Rank;
            var scopes = new List<SourceWriter.Scope>();
            for (int d = 0; d < rank; d++) scopes.Add(Block($"for (int d{d} = 0; d{d} < {output[d]}; d{d}++)"));
            var outStrides = output.BroadcastStrides(output);
            var names = new string[operands.Count];
            Line($"int i = {IndexExpression(outStrides)};");
            for (int k = 0; k < operands.Count; k++)
            {
                names[k] = "i" + (char)('a' + k);
                Line($"int {names[k]} = {IndexExpression(operands[k].BroadcastStrides(output))};");
            }
            body("i", names);
            for (int d = rank - 1; d >= 0; d--) scopes[d].Dispose();
        }

        private static string IndexExpression(int[] strides)
        {
            var terms = new List<string>();
            for (int d = 0; d < strides.Length; d++)
            {
                if (strides[d] == 0) continue;
                terms.Add(strides[d] == 1 ? $"d{d}" : $"d{d} * {strides[d]}");
            }
            return terms.Count == 0 ? "0" : string.Join(" + ", terms);
        }
    }
}
