using System.Collections.Generic;
using System.Linq;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>A named output of the model.</summary>
    public sealed record OutputValue(string Name, Node Node, SourceSpan Span);

    /// <summary>An optimizer or schedule named in a train block, with its arguments resolved to numbers.</summary>
    public sealed record NamedCall(string Name, IReadOnlyList<KeyValuePair<string, double>> Arguments);

    /// <summary>The defaults a model's train { } block sets for the runtime trainer.</summary>
    public sealed class TrainSpec
    {
        public NamedCall? Optimizer { get; set; }
        public NamedCall? Schedule { get; set; }
        public int? Batch { get; set; }
        public int? Epochs { get; set; }
        public double? ClipNorm { get; set; }
        public double? ClipValue { get; set; }
        public double? MaxNorm { get; set; }
        public int? Seed { get; set; }
        public double? Validation { get; set; }
        public int? EarlyStoppingPatience { get; set; }
        public string? EarlyStoppingMetric { get; set; }
    }

    /// <summary>
    /// A bound model: every value as a node with a known shape, ready for planning and emission.
    /// Nodes are listed in creation order, which is a topological order.
    /// </summary>
    public sealed class ModelGraph
    {
        public ModelGraph(string name, string? @namespace, string fileName)
        {
            Name = name;
            Namespace = @namespace;
            FileName = fileName;
        }

        public string Name { get; }
        public string? Namespace { get; }
        /// <summary>The .model file's name without folders, for comments in the generated code.</summary>
        public string FileName { get; }
        /// <summary>
        /// The whole text of the file the model was bound from. The generated class carries it, so tools
        /// that need the graph (ONNX export) can bind it again from the class alone.
        /// </summary>
        public string SourceText { get; set; } = "";
        public List<DataNode> Inputs { get; } = new List<DataNode>();
        public List<DataNode> Targets { get; } = new List<DataNode>();
        public List<OutputValue> Outputs { get; } = new List<OutputValue>();
        /// <summary>The batch loss (a batch-wide scalar), or null when the model declares none.</summary>
        public Node? Loss { get; set; }
        public List<ParameterNode> Parameters { get; } = new List<ParameterNode>();
        /// <summary>Non-trainable state saved with the weights (batchnorm's running statistics), in declaration order.</summary>
        public List<BufferNode> Buffers { get; } = new List<BufferNode>();
        public List<Node> Nodes { get; } = new List<Node>();
        public TrainSpec Train { get; } = new TrainSpec();
        /// <summary>Layers in declaration order with the parameters they own, for summaries.</summary>
        public List<LayerInfo> Layers { get; } = new List<LayerInfo>();

        /// <summary>
        /// The padding label a class-id loss skips in this data that is not a class id (such as
        /// ignore_index: -1), which the generated argument checks must therefore let through; or null.
        /// </summary>
        public int? PaddingLabel(DataNode data) =>
            Nodes.OfType<ClassLossNode>().Where(n => n.Target == data && n.IgnoresNonClass).Select(n => n.IgnoreIndex).FirstOrDefault();
    }

    public sealed record LayerInfo(string Name, string Kind, Shape? OutputShape, IReadOnlyList<ParameterNode> Parameters);
}
