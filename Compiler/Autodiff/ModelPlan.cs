using System;
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
        private readonly HashSet<Node> _fromParameters = new HashSet<Node>();
        private readonly Dictionary<Node, int> _offsets = new Dictionary<Node, int>();
        private readonly Dictionary<Node, int> _scratchOffsets = new Dictionary<Node, int>();
        private readonly HashSet<Node> _views = new HashSet<Node>();

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

        /// <summary>
        /// True when the node is a parameter or is computed from one: the gradients a backward pass
        /// needs when no input gradient is asked for. A value computed from inputs alone (a reshape
        /// of the image under a first convolution) leads to no parameter, so its gradient is unused.
        /// </summary>
        public bool ComputedFromParameters(Node node) => _fromParameters.Contains(node);

        /// <summary>
        /// Where a node's values (and gradients, in the gradient arena or vector of the same layout)
        /// start: per example for batched values and integer data, absolute in the flat vectors.
        /// </summary>
        public int Offset(Node node) =>
            _offsets.TryGetValue(node, out int offset) ? offset : throw new InvalidOperationException($"'{node.Describe()}' has no place in the arenas");

        /// <summary>True when the node has storage: the passes compute it (a value no output or loss reads has none).</summary>
        public bool IsPlaced(Node node) => _offsets.ContainsKey(node);

        /// <summary>Where an op's scratch (its ScratchSize floats per example) starts in the activation arena.</summary>
        public int ScratchOffset(Node node) =>
            _scratchOffsets.TryGetValue(node, out int offset) ? offset : throw new InvalidOperationException($"'{node.Describe()}' has no scratch");

        /// <summary>
        /// True when <paramref name="view"/> is a reshape placed on <paramref name="of"/>'s values:
        /// the same elements in the same order, so it takes no copy forward and no gradient step
        /// backward (its gradient is <paramref name="of"/>'s, accumulated in the same place).
        /// </summary>
        public bool IsView(Node view, Node of) => _views.Contains(view) && view.Inputs[0] == of;

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
            foreach (var p in Graph.Parameters) _fromParameters.Add(p);
            foreach (var node in ForwardNodes.Concat(LossNodes))
                if (node.Inputs.Any(_fromParameters.Contains)) _fromParameters.Add(node);
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
                if (node is ReshapeNode reshape && reshape.X.Storage == reshape.Storage && _offsets.TryGetValue(reshape.X, out int at)
                    && (reshape.Storage == StorageKind.Batched || reshape.Storage == StorageKind.Global))
                {
                    _offsets[reshape] = at;
                    _views.Add(reshape);
                    continue;
                }
                if (node.Storage == StorageKind.Global) globals = Place(node, globals, node.Shape.ElementCount, "batch-wide floats");
                else activations = Place(node, activations, node.Shape.ElementCount, "floats per example in the activation arena");
            }
            AccumulatedPerExample = Sizes.Dimension(activations);
            foreach (var node in ForwardNodes.Concat(LossNodes))
            {
                if (node.ScratchSize <= 0) continue;
                _scratchOffsets[node] = Sizes.Dimension(activations);
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
            _offsets[node] = Sizes.Dimension(total);
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
