using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ModelC.Compiler.Autodiff;
using ModelC.Compiler.Ir;

namespace ModelC.Compiler.Summary
{
    /// <summary>One row of a summary: a layer or a raw parameter, its output shape and its parameter count.</summary>
    public sealed record SummaryRow(string Name, string Kind, string OutputShape, long Parameters);

    /// <summary>
    /// A Keras-style summary of a compiled model: its layers in declaration order with output
    /// shapes and parameter counts, the totals, and the floating-point operations of one
    /// example's forward pass.
    /// </summary>
    public sealed class ModelSummary
    {
        private ModelSummary(string name, IReadOnlyList<SummaryRow> rows, long parameters, long forwardFlops)
        {
            Name = name;
            Rows = rows;
            Parameters = parameters;
            ForwardFlops = forwardFlops;
        }

        public string Name { get; }
        public IReadOnlyList<SummaryRow> Rows { get; }
        public long Parameters { get; }

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
            var inLayers = new HashSet<ParameterNode>();
            foreach (var layer in graph.Layers)
            {
                long count = layer.Parameters.Sum(p => (long)p.Shape.Size);
                rows.Add(new SummaryRow(layer.Name, layer.Kind, layer.OutputShape?.ToString() ?? "(unused)", count));
                inLayers.UnionWith(layer.Parameters);
            }

            // Raw `param` declarations belong to no layer; they are listed on their own rows.
            foreach (var parameter in graph.Parameters.Where(p => !inLayers.Contains(p)))
                rows.Add(new SummaryRow(parameter.Name ?? "?", "param", parameter.Shape.ToString(), parameter.Shape.Size));

            long total = graph.Parameters.Sum(p => (long)p.Shape.Size);
            long flops = plan.ForwardNodes.Where(n => !n.IsLeaf).Sum(n => n.ForwardFlops);
            return new ModelSummary(graph.Name, rows, total, flops);
        }

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
            text.Append("Total parameters: ").Append(Count(Parameters)).Append('\n');
            text.Append("Forward FLOPs per example: ").Append(Count(ForwardFlops)).Append('\n');
            return text.ToString();
        }

        private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
