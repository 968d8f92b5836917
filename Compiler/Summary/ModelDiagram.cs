using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ModelC.Compiler.Autodiff;
using ModelC.Compiler.Ir;

namespace ModelC.Compiler.Summary
{
    /// <summary>The drawing formats of <c>modelc graph</c>.</summary>
    public enum DiagramFormat
    {
        /// <summary>Graphviz: <c>dot -Tsvg</c>.</summary>
        Dot,
        /// <summary>Mermaid flowchart, which GitHub renders in Markdown.</summary>
        Mermaid,
    }

    /// <summary>
    /// Draws a model's data flow: inputs and targets, every op of the forward pass and the loss,
    /// with their shapes. Parameters and constants are folded into the ops that read them, so the
    /// picture shows the path of the data.
    /// </summary>
    public static class ModelDiagram
    {
        public static string Write(ModelPlan plan, DiagramFormat format)
        {
            var graph = plan.Graph;
            var steps = graph.Inputs.Concat(graph.Targets).Cast<Node>()
                .Concat(plan.ForwardNodes.Concat(plan.LossNodes).Where(n => !n.IsLeaf))
                .Distinct()
                .ToList();
            var ids = new Dictionary<Node, string>();
            foreach (var node in steps)
                ids[node] = "n" + ids.Count;
            var edges = steps
                .SelectMany(node => node.Inputs.Where(ids.ContainsKey).Select(input => (From: ids[input], To: ids[node])))
                .Distinct()
                .ToList();
            var outputs = new HashSet<Node>(graph.Outputs.Select(o => o.Node));

            string Label(Node node)
            {
                if (node is DataNode data)
                {
                    string type = data.IsInteger ? ModelSummary.TypeOf(data) : "float" + data.Shape;
                    return $"{(data.Role == DataRole.Input ? "input" : "target")} {data.Name} : {type}";
                }

                string what = node.Describe();
                string layer = LayerOf(node) is { } owner ? owner + " = " : "";
                string constants = string.Concat(node.Inputs.OfType<ConstantNode>().Select(c => " " + c.Value.ToString("G6", CultureInfo.InvariantCulture)));
                string name = node.Name is null ? "" : node.Name + ": ";
                string role = ReferenceEquals(node, graph.Loss) ? "loss: " : "";
                return role + name + layer + what + constants + " " + node.Shape;
            }

            var text = new StringBuilder();
            if (format == DiagramFormat.Dot)
            {
                text.Append("digraph ").Append(graph.Name).Append(" {\n");
                text.Append("    rankdir=TB;\n    node [shape=box, fontname=\"Helvetica\"];\n");
                foreach (var node in steps)
                {
                    string style = node is DataNode ? ", shape=ellipse" : outputs.Contains(node) ? ", style=bold" : "";
                    text.Append("    ").Append(ids[node]).Append(" [label=\"").Append(Escape(Label(node))).Append('"').Append(style).Append("];\n");
                }

                foreach (var (from, to) in edges)
                    text.Append("    ").Append(from).Append(" -> ").Append(to).Append(";\n");
                text.Append("}\n");
            }
            else
            {
                text.Append("flowchart TD\n");
                foreach (var node in steps)
                {
                    var (open, close) = node is DataNode ? ("([", "])") : ("[", "]");
                    text.Append("    ").Append(ids[node]).Append(open).Append('"').Append(Escape(Label(node))).Append('"').Append(close).Append('\n');
                }

                foreach (var (from, to) in edges)
                    text.Append("    ").Append(from).Append(" --> ").Append(to).Append('\n');
            }

            return text.ToString();
        }

        /// <summary>
        /// The layer whose weights an op reads (<c>fc1</c> for <c>fc1.weight</c>, <c>res1.conv1</c> inside a
        /// block), or null for an op that reads none or several layers' weights (an l2 penalty).
        /// </summary>
        private static string? LayerOf(Node node)
        {
            if (node is PenaltyNode)
                return null;
            var owners = node.Inputs
                .Select(input => input is ParameterNode parameter ? parameter.Name : input is BufferNode buffer ? buffer.Name : null)
                .Where(name => name is not null && name.LastIndexOf('.') > 0)
                .Select(name => name!.Substring(0, name!.LastIndexOf('.')))
                .Distinct()
                .ToList();
            return owners.Count == 1 ? owners[0] : null;
        }

        // Both formats quote labels with '"'; shapes and names need no other escaping.
        private static string Escape(string label) => label.Replace("\"", "'");
    }
}
