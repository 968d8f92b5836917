using System.Collections.Generic;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>Where a node's values live in the generated class.</summary>
    public enum StorageKind
    {
        /// <summary>Per example, in the float activation arena (and its gradient arena).</summary>
        Batched,
        /// <summary>Once per batch (parameter-only expressions and the batch loss), in the globals array.</summary>
        Global,
        /// <summary>A slice of the flat parameter vector.</summary>
        Parameter,
        /// <summary>A literal written into the code.</summary>
        Constant,
        /// <summary>Per example, in the int arena (class ids).</summary>
        Int,
        /// <summary>A slice of the buffer vector: state saved with the weights but never trained (running statistics).</summary>
        Buffer,
    }

    /// <summary>
    /// One tensor-valued step of a model. Each kind of node keeps its shape rule (its Create
    /// method), its forward code and its gradient rule together in one file, so an op is read,
    /// changed and tested in one place. Nodes are immutable once built; the planner assigns
    /// storage offsets before emission.
    /// </summary>
    public abstract class Node
    {
        protected Node(Shape shape, bool batched, IReadOnlyList<Node> inputs, SourceSpan span)
        {
            Shape = shape;
            IsBatched = batched;
            Inputs = inputs;
            Span = span;
        }

        public Shape Shape { get; }
        /// <summary>True when the node has one value per example; false when it is the same for the whole batch.</summary>
        public bool IsBatched { get; }
        public IReadOnlyList<Node> Inputs { get; }
        public SourceSpan Span { get; }

        // The two labels the binder attaches while it binds the statement that made the node; nothing
        // after binding changes a node (layout lives in ModelPlan).
        /// <summary>The user's name for this value (a let, an output), or null.</summary>
        public string? Name { get; internal set; }
        /// <summary>The .model text this node came from, for comments in the generated code.</summary>
        public string? SourceText { get; internal set; }

        public virtual StorageKind Storage => IsBatched ? StorageKind.Batched : StorageKind.Global;
        /// <summary>Extra per-example floats the op needs between forward and backward (a dropout mask).</summary>
        public virtual long ScratchSize => 0;

        /// <summary>Short description of the op for comments: "relu", "dense 784->128".</summary>
        public abstract string Describe();

        /// <summary>Writes code computing this node's values from its inputs' values.</summary>
        public abstract void EmitForward(EmitContext c);

        /// <summary>
        /// Writes code that adds d(out)/d(input) · grad(out) into every input's gradient that is
        /// wanted (c.WantsGradient). It accumulates (+=), so fan-out needs no special case, except
        /// where c.OverwritesGradient(this, input) says this step is the first to write that gradient
        /// and the step's clear skipped it: then it writes it (see <see cref="CanOverwriteGradient"/>).
        /// </summary>
        public abstract void EmitBackward(EmitContext c);

        /// <summary>
        /// True when this op's backward step can write <paramref name="input"/>'s whole gradient
        /// instead of adding to it, with the bits adding to zeros would give; then, when it is the
        /// first step to reach that gradient, the gradient arena's clear leaves it out.
        /// </summary>
        public virtual bool CanOverwriteGradient(Node input, EmitContext c) => false;

        /// <summary>
        /// Floating-point operations of one example's forward step, for <c>modelc summary</c>:
        /// 1 per output element unless the op overrides it (2 per multiply-add of products).
        /// </summary>
        public virtual long ForwardFlops => Shape.Size;

        /// <summary>True when the op has nothing to differentiate (inputs, constants, int data).</summary>
        public virtual bool IsLeaf => false;

        public override string ToString() => $"{Describe()} {Shape}";
    }

    /// <summary>Stands in for a value whose binding failed; stops one mistake from causing many messages.</summary>
    public sealed class ErrorNode : Node
    {
        public ErrorNode(SourceSpan span) : base(Shape.Scalar, false, System.Array.Empty<Node>(), span) { }
        public override string Describe() => "error";
        public override void EmitForward(EmitContext c) => throw new System.InvalidOperationException("error nodes are never emitted");
        public override void EmitBackward(EmitContext c) { }
        public override bool IsLeaf => true;
    }
}
