using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ModelC.Compiler.Autodiff;
using ModelC.Compiler.Ir;

namespace ModelC.Compiler.Summary
{
    /// <summary>
    /// One row of a summary: an input, a layer or a raw parameter, its output shape and its
    /// parameter count (with its buffers, as Keras counts batchnorm's moving statistics).
    /// </summary>
    public sealed record SummaryRow(string Name, string Kind, string OutputShape, long Parameters);

    /// <summary>
    /// A Keras-style summary of a compiled model: its layers in declaration order with output
    /// shapes and parameter counts, the totals, and the floating-point operations of one
    /// example's forward pass.
    /// </summary>
    public sealed class ModelSummary
    {
        private ModelSummary(string name, IReadOnlyList<SummaryRow> rows, long parameters, long buffers, long forwardFlops)
        {
            Name = name;
            Rows = rows;
            Parameters = parameters;
            Buffers = buffers;
            ForwardFlops = forwardFlops;
        }

        public string Name { get; }
        public IReadOnlyList<SummaryRow> Rows { get; }

        /// <summary>Trainable floats: every parameter.</summary>
        public long Parameters { get; }

        /// <summary>Non-trainable floats saved with the weights: batchnorm's running mean and variance.</summary>
        public long Buffers { get; }

        /// <summary>
        /// Floating-point operations of one example's forward pass: 2 per multiply-add of dense
        /// layers and matrix products, 1 per output element of every other op. The loss is not
        /// counted, as in Keras and fvcore.
        /// </summary>
        public long ForwardFlops { get; }

        public static ModelSummary Create(ModelPlan plan)
        {
            var graph = plan.Graph;
            var rows = new List<SummaryRow>();
            foreach (var input in graph.Inputs)
                rows.Add(new SummaryRow(input.Name, "input", TypeOf(input), 0));

            var inLayers = new HashSet<ParameterNode>();
            foreach (var layer in graph.Layers)
            {
                long count = layer.Parameters.Sum(p => (long)p.Shape.Size) + BuffersOf(graph, layer.Name);
                rows.Add(new SummaryRow(layer.Name, layer.Kind, layer.OutputShape?.ToString() ?? "(unused)", count));
                inLayers.UnionWith(layer.Parameters);
            }

            // Raw `param` declarations belong to no layer; they are listed on their own rows.
            foreach (var parameter in graph.Parameters.Where(p => !inLayers.Contains(p)))
                rows.Add(new SummaryRow(parameter.Name ?? "?", "param", parameter.Shape.ToString(), parameter.Shape.Size));

            long total = graph.Parameters.Sum(p => (long)p.Shape.Size);
            long flops = plan.ForwardNodes.Where(n => !n.IsLeaf).Sum(n => n.ForwardFlops);
            long buffers = graph.Buffers.Sum(b => (long)b.Shape.Size);
            return new ModelSummary(graph.Name, rows, total, buffers, flops);
        }

        /// <summary>How an input is declared: <c>[784]</c> for floats, <c>int&lt;10&gt;</c> or <c>int&lt;65&gt;[64]</c> for class ids.</summary>
        public static string TypeOf(DataNode data) =>
            !data.IsInteger ? data.Shape.ToString()
            : data.Shape.Rank == 0 ? $"int<{data.Classes}>" : $"int<{data.Classes}>{data.Shape}";

        // A layer's buffers are named after it (bn1.running_mean, res1.bn1.running_var).
        private static long BuffersOf(ModelGraph graph, string layer) =>
            graph.Buffers.Where(b => b.Name.StartsWith(layer + ".", StringComparison.Ordinal)).Sum(b => (long)b.Shape.Size);

        /// <summary>The summary as a fixed-width table, the way <c>modelc summary</c> prints it.</summary>
        public string ToText()
        {
            string[] header = { "Layer (kind)", "Output shape", "Parameters" };
            var cells = Rows.Select(r => new[] { $"{r.Name} ({r.Kind})", r.OutputShape, Count(r.Parameters) }).ToList();
            int[] widths = Enumerable.Range(0, 3).Select(i => cells.Select(c => c[i].Length).Append(header[i].Length).Max()).ToArray();
            string Row(string[] c) => $"{c[0].PadRight(widths[0])}  {c[1].PadRight(widths[1])}  {c[2].PadLeft(widths[2])}".TrimEnd();
            string rule = new string('-', widths.Sum() + 4);

            var text = new StringBuilder();
            text.Append("Model: ").Append(Name).Append('\n');
            text.Append(Row(header)).Append('\n').Append(rule).Append('\n');
            foreach (var c in cells)
                text.Append(Row(c)).Append('\n');
            text.Append(rule).Append('\n');
            text.Append("Total parameters: ").Append(Count(Parameters + Buffers)).Append('\n');
            text.Append("Trainable parameters: ").Append(Count(Parameters)).Append('\n');
            text.Append("Non-trainable parameters: ").Append(Count(Buffers)).Append(Buffers > 0 ? " (batchnorm running statistics)\n" : "\n");
            text.Append("Forward FLOPs per example: ").Append(Count(ForwardFlops)).Append('\n');
            return text.ToString();
        }

        private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
