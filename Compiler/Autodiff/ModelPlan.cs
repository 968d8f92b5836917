using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Ir;

namespace ModelC.Compiler.Autodiff
{
    /// <summary>
    /// Everything the emitter needs beyond the graph: which nodes run in the forward pass and which
    /// only for the loss, which nodes carry a gradient, and where every value lives (the llm.c way:
    /// one arena per kind, offsets planned up front, sized per example so any batch fits).
    /// </summary>
    public sealed class ModelPlan
    {
        private readonly HashSet<Node> _requiresGradient = new HashSet<Node>();

        private ModelPlan(ModelGraph graph) { Graph = graph; }

        public ModelGraph Graph { get; }
        /// <summary>Computed nodes needed by the outputs, in execution order.</summary>
        public List<Node> ForwardNodes { get; } = new List<Node>();
        /// <summary>Computed nodes needed only by the loss (they may read targets), in execution order.</summary>
        public List<Node> LossNodes { get; } = new List<Node>();
        public int ActivationsPerExample { get; private set; }
        /// <summary>
        /// Floats per example before the ops' scratch regions, which the arenas keep last: the part
        /// of the gradient arena that backward passes accumulate into and so must clear. Scratch
        /// regions are written before they are read, in either arena.
        /// </summary>
        public int AccumulatedPerExample { get; private set; }
        public int IntegersPerExample { get; private set; }
        public int GlobalCount { get; private set; }
        public int ParameterCount { get; private set; }
        public int BufferCount { get; private set; }

        /// <summary>
        /// True when a gradient must flow into this node: it is a parameter, a float input, or is
        /// computed from one. Targets and constants never need one.
        /// </summary>
        public bool RequiresGradient(Node node) => _requiresGradient.Contains(node);

        public static ModelPlan Create(ModelGraph graph)
        {
            var plan = new ModelPlan(graph);
            plan.Schedule();
            plan.MarkGradients();
            plan.Allocate();
            return plan;
        }

        private void Schedule()
        {
            var forward = Ancestors(Graph.Outputs.Select(o => o.Node));
            var loss = Graph.Loss is null ? new HashSet<Node>() : Ancestors(new[] { Graph.Loss });
            foreach (var node in Graph.Nodes)
            {
                if (node.IsLeaf) continue;
                if (forward.Contains(node)) ForwardNodes.Add(node);
                else if (loss.Contains(node)) LossNodes.Add(node);
            }
        }

        private static HashSet<Node> Ancestors(IEnumerable<Node> roots)
        {
            var seen = new HashSet<Node>();
            var stack = new Stack<Node>(roots);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (!seen.Add(node)) continue;
                foreach (var input in node.Inputs) stack.Push(input);
            }
            return seen;
        }

        private void MarkGradients()
        {
            foreach (var p in Graph.Parameters) _requiresGradient.Add(p);
            foreach (var input in Graph.Inputs) if (!input.IsInteger) _requiresGradient.Add(input);
            foreach (var node in ForwardNodes.Concat(LossNodes))
                if (node.Inputs.Any(_requiresGradient.Contains)) _requiresGradient.Add(node);
        }

        /// <summary>
        /// When an arena or flat vector would not fit in one array: the node whose values took its
        /// total past <see cref="Sizes.Limit"/>, and a message. The compiler reports it as MC1023 at
        /// that node's statement and emits nothing.
        /// </summary>
        public (Node At, string Message)? TooLarge { get; private set; }

        private void Allocate()
        {
            ParameterCount = Lay(Graph.Parameters, "parameters in the flat parameter vector");
            BufferCount = Lay(Graph.Buffers, "values in the buffer vector");

            long activations = 0, integers = 0, globals = 0;
            foreach (var data in Graph.Inputs.Concat(Graph.Targets))
            {
                if (data.IsInteger) integers = Place(data, integers, data.Shape.ElementCount, "ints per example in the integer arena");
                else activations = Place(data, activations, data.Shape.ElementCount, "floats per example in the activation arena");
            }
            foreach (var node in ForwardNodes.Concat(LossNodes))
            {
                if (node.Storage == StorageKind.Global) globals = Place(node, globals, node.Shape.ElementCount, "batch-wide floats");
                else activations = Place(node, activations, node.Shape.ElementCount, "floats per example in the activation arena");
            }
            AccumulatedPerExample = Sizes.Dimension(activations);
            foreach (var node in ForwardNodes.Concat(LossNodes))
            {
                if (node.ScratchSize <= 0) continue;
                node.ScratchOffset = Sizes.Dimension(activations);
                activations = Sum(node, activations, node.ScratchSize, "floats per example in the activation arena (with scratch)");
            }
            ActivationsPerExample = Sizes.Dimension(activations);
            IntegersPerExample = Sizes.Dimension(integers);
            GlobalCount = Sizes.Dimension(globals);
        }

        private int Lay(IEnumerable<Node> leaves, string what)
        {
            long total = 0;
            foreach (var leaf in leaves) total = Place(leaf, total, leaf.Shape.ElementCount, what);
            return Sizes.Dimension(total);
        }

        /// <summary>Gives the node its offset at total; returns the total after it.</summary>
        private long Place(Node node, long total, long count, string what)
        {
            node.Offset = Sizes.Dimension(total);
            return Sum(node, total, count, what);
        }

        private long Sum(Node node, long total, long count, string what)
        {
            long sum = Sizes.Sum(total, count);
            if (!Sizes.Fits(sum) && TooLarge is null)
                TooLarge = (node, $"model '{Graph.Name}' needs {Sizes.TooMany(sum, what)}");
            return sum;
        }
    }
}
