using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>The built-ins and the indexing forms of sequences and generative models: last, sample_normal, U[u], seq[t].</summary>
    public static class SequenceBuiltins
    {
        internal static Node SampleNormal(Binder b, CallArguments a, SourceSpan s)
        {
            var mu = b.Tensor(a, "mu");
            var logvar = b.Tensor(a, "logvar");
            if (mu is ErrorNode || logvar is ErrorNode) return new ErrorNode(s);
            if (!mu.Shape.Equals(logvar.Shape))
                return ShapeError(b, s, $"shape mismatch: sample_normal needs mu and logvar of one shape, but got {mu.Shape} and {logvar.Shape}");
            return b.Add(new SampleNormalNode(mu, logvar, s));
        }

        internal static Node Last(Binder b, CallArguments a, SourceSpan s)
        {
            var seq = b.Tensor(a, "seq");
            if (seq is ErrorNode) return seq;
            if (seq.Shape.Rank == 0) return ShapeError(b, s, "last(seq) takes the last step of a sequence [T, ...], but its argument is a scalar");
            return b.Add(SliceNode.Row(seq, seq.Shape[0] - 1, s));
        }

        /// <summary>
        /// target[index]: with class ids (an int&lt;N&gt; or int&lt;N&gt;[T] input) it gathers rows of the target
        /// (U[u]); with a whole number it takes one step of the first axis (seq[t], seq[-1]).
        /// </summary>
        public static Node BindIndex(Binder b, IndexSyntax index)
        {
            var target = b.BindExpression(index.Target);
            var position = b.BindAny(index.Index);
            if (target is ErrorNode || position is ErrorNode) return new ErrorNode(index.Span);
            if (target.Shape.Rank == 0)
                return ShapeError(b, index.Span, $"'{b.Text(index.Target.Span)}' is a scalar; only tensors with a first axis can be indexed");
            int rows = target.Shape[0];
            switch (position)
            {
                case DataNode { IsInteger: true } ids:
                    if (ids.Classes > rows)
                        return ShapeError(b, index.Span,
                            $"shape mismatch: '{ids.Name}' is int<{ids.Classes}> but '{b.Text(index.Target.Span)}' has only {rows} rows (shape {target.Shape})");
                    return b.Add(new GatherNode(target, ids, index.Span));
                case ConstantNode { Value: var value }:
                {
                    if (value != System.Math.Floor(value) || value < -rows || value >= rows)
                    {
                        b.Diagnostics.Error(DiagnosticCatalog.InvalidAxis, index.Index.Span,
                            $"index {b.Text(index.Index.Span)} is out of range for the first axis of {target.Shape} (0 to {rows - 1}, or negative from the end)");
                        return new ErrorNode(index.Span);
                    }
                    int t = value < 0 ? (int)value + rows : (int)value;
                    return b.Add(SliceNode.Row(target, t, index.Span));
                }
                default:
                    b.Diagnostics.Error(DiagnosticCatalog.WrongArgumentKind, index.Index.Span,
                        $"an index is class ids (an int<N> input, as in U[u]) or a whole number written in the model (seq[3]), not '{b.Text(index.Index.Span)}'");
                    return new ErrorNode(index.Span);
            }
        }

        private static Node ShapeError(Binder b, SourceSpan span, string message)
        {
            b.Diagnostics.Error(DiagnosticCatalog.ShapeMismatch, span, message);
            return new ErrorNode(span);
        }
    }
}
