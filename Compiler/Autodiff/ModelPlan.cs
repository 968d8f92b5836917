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

        private void Allocate()
        {
            int parameters = 0;
            foreach (var p in Graph.Parameters) { p.Offset = parameters; parameters += p.Shape.Size; }
            ParameterCount = parameters;
            int buffers = 0;
            foreach (var buffer in Graph.Buffers) { buffer.Offset = buffers; buffers += buffer.Shape.Size; }
            BufferCount = buffers;

            int activations = 0, integers = 0, globals = 0;
            foreach (var data in Graph.Inputs.Concat(Graph.Targets))
            {
                if (data.IsInteger) { data.Offset = integers; integers += data.Shape.Size; }
                else { data.Offset = activations; activations += data.Shape.Size; }
            }
            foreach (var node in ForwardNodes.Concat(LossNodes))
            {
                if (node.Storage == StorageKind.Global) { node.Offset = globals; globals += node.Shape.Size; }
                else { node.Offset = activations; activations += node.Shape.Size; }
            }
            AccumulatedPerExample = activations;
            foreach (var node in ForwardNodes.Concat(LossNodes))
                if (node.ScratchSize > 0) { node.ScratchOffset = activations; activations += node.ScratchSize; }
            ActivationsPerExample = activations;
            IntegersPerExample = integers;
            GlobalCount = globals;
        }
    }
}
