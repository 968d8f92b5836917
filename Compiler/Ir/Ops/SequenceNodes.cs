using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// A contiguous run of x's elements viewed under a new shape: y = x.flat[start .. start + size).
    /// seq[t] and last(seq) take one time step this way, and recurrent layers cut their gates out of
    /// one projection with it.
    /// </summary>
    public sealed class SliceNode : Node
    {
        public SliceNode(Node x, int start, Shape shape, string description, SourceSpan span)
            : base(shape, x.IsBatched, new[] { x }, span)
        {
            Start = start;
            Description = description;
        }

        public Node X => Inputs[0];
        public int Start { get; }
        private string Description { get; }

        /// <summary>Time step (or row) t of x: x[t, ...] with the first axis dropped.</summary>
        public static SliceNode Row(Node x, int t, SourceSpan span)
        {
            var rest = new Shape(x.Shape.Dims.Skip(1).ToArray());
            return new SliceNode(x, t * rest.Size, rest, $"step {t} of {x.Shape} ->", span);
        }

        public override string Describe() => Description;

        private string Source(string i) => Start == 0 ? i : $"{Start} + {i}";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
                c.Line($"for (int i = 0; i < {Shape.Size}; i++) {c.Value(this, "i")} = {c.Value(X, Source("i"))};");
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            using (c.BatchLoop(this))
                c.Line($"for (int i = 0; i < {Shape.Size}; i++) {c.Gradient(X, Source("i"))} += {c.Gradient(this, "i")};");
        }
    }

    /// <summary>Stacks equally shaped tensors along a new first axis: y[t, ...] = parts[t][...] (a recurrent layer's outputs over time).</summary>
    public sealed class StackNode : Node
    {
        public StackNode(IReadOnlyList<Node> parts, SourceSpan span)
            : base(new Shape(new[] { parts.Count }.Concat(parts[0].Shape.Dims).ToArray()), parts.Any(p => p.IsBatched), parts, span) { }

        private int PartSize => Inputs[0].Shape.Size;
        public override string Describe() => $"stack of {Inputs.Count} steps {Inputs[0].Shape} ->";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
                for (int t = 0; t < Inputs.Count; t++)
                    c.Line($"for (int i = 0; i < {PartSize}; i++) {c.Value(this, At(t))} = {c.Value(Inputs[t], "i")};");
        }

        public override void EmitBackward(EmitContext c)
        {
            using (c.BatchLoop(this))
                for (int t = 0; t < Inputs.Count; t++)
                    if (c.WantsGradient(Inputs[t]))
                        c.Line($"for (int i = 0; i < {PartSize}; i++) {c.Gradient(Inputs[t], "i")} += {c.Gradient(this, At(t))};");
        }

        private string At(int t) => t == 0 ? "i" : $"{t * PartSize} + i";
    }

    /// <summary>
    /// Rows of a table picked by class ids: y[t..., :] = table[index[t...], :] (embedding, U[u]).
    /// The gradient adds each output row into the table row it came from, one example and step at
    /// a time, so a row picked twice in a batch receives both contributions.
    /// </summary>
    public sealed class GatherNode : Node
    {
        public GatherNode(Node table, DataNode index, SourceSpan span)
            : base(new Shape(index.Shape.Dims.Concat(table.Shape.Dims.Skip(1)).ToArray()), true, new Node[] { table, index }, span) { }

        public Node Table => Inputs[0];
        public DataNode Index => (DataNode)Inputs[1];
        private int RowSize => Table.Shape.Size / Table.Shape[0];
        private int Picks => Index.Shape.Size;

        public override string Describe() => $"rows of {Table.Shape} picked by {Index.Name} ->";

        private string OutputIndex => Picks == 1 ? "k" : $"t * {RowSize} + k";
        private string TableIndex => RowSize == 1 ? "row" : $"row * {RowSize} + k";
        private SourceWriter.Scope? PickLoop(EmitContext c) => Picks == 1 ? null : c.Block($"for (int t = 0; t < {Picks}; t++)");

        // A batch-wide table (a parameter) picked by a per-example input's ids: Runtime's row kernels,
        // whole rows at a time, in the loops' pick order.
        private bool UsesKernels(EmitContext c) =>
            Storage == StorageKind.Batched && Table.Storage == StorageKind.Parameter && c.IntRegion(Index) is not null;

        private const string VectorKernels = "global::ModelC.Runtime.Kernels.VectorKernels";
        private string Int(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public override void EmitForward(EmitContext c)
        {
            if (UsesKernels(c))
            {
                c.Line($"{VectorKernels}.GatherRows({c.Region(Table)}, {c.IntRegion(Index)}, {c.Region(this)}, batch * {Int(Picks)}, {Int(RowSize)});");
                return;
            }
            using (c.BatchLoop(this))
            using (PickLoop(c))
            {
                c.Line($"int row = {c.Value(Index, Picks == 1 ? "0" : "t")};");
                c.Line($"for (int k = 0; k < {RowSize}; k++) {c.Value(this, OutputIndex)} = {c.Value(Table, TableIndex)};");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(Table)) return;
            if (UsesKernels(c))
            {
                c.Line($"{VectorKernels}.ScatterAddRows({c.Region(this, gradient: true)}, {c.IntRegion(Index)}, {c.Region(Table, gradient: true)}, batch * {Int(Picks)}, {Int(RowSize)});");
                return;
            }
            using (c.BatchLoop(this))
            using (PickLoop(c))
            {
                c.Line($"int row = {c.Value(Index, Picks == 1 ? "0" : "t")};");
                c.Line($"for (int k = 0; k < {RowSize}; k++) {c.Gradient(Table, TableIndex)} += {c.Gradient(this, OutputIndex)};");
            }
        }
    }
}
