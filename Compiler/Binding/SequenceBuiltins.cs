using System.Collections.Generic;
using System.Linq;
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
        /// last_state(seq): the final hidden state of every layer and direction of the recurrent call
        /// whose value seq is, [L·D, H] (PyTorch's h_n, unbatched). The forward direction's is its
        /// step T-1, the reverse direction's its step 0.
        /// </summary>
        internal static Node LastState(Binder b, CallArguments a, SourceSpan s)
        {
            if (RecurrentCall(b, a, s, "last_state") is not RecurrentOutput call) return new ErrorNode(s);
            return b.Add(new StackNode(call.Runs.Select(r => r.FinalHidden).ToArray(), s));
        }

        /// <summary>last_cell(seq): an LSTM call's final cell states, [L·D, H] (PyTorch's c_n).</summary>
        internal static Node LastCell(Binder b, CallArguments a, SourceSpan s)
        {
            if (RecurrentCall(b, a, s, "last_cell") is not RecurrentOutput call) return new ErrorNode(s);
            if (call.Layer.Kind != "lstm")
            {
                b.Diagnostics.ReportNotRecurrentOutput(a["seq"]!.Span, "last_cell", b.Text(a["seq"]!.Span),
                    $"{call.Layer.Name} is {(call.Layer.Kind == "gru" ? "a gru" : "an rnn")}, which has no cell state; last_state gives its final hidden state");
                return new ErrorNode(s);
            }
            var cells = new List<Node>();
            foreach (var run in call.Runs)
            {
                if (run.FinalCell is not null) cells.Add(run.FinalCell);
                else if (run.Kernel!.FinalCell is { } known) cells.Add(known);
                else cells.Add(b.Add(run.Kernel.GetFinalCell(s)));
            }
            return b.Add(new StackNode(cells, s));
        }

        private static RecurrentOutput? RecurrentCall(Binder b, CallArguments a, SourceSpan s, string function)
        {
            var seq = b.Tensor(a, "seq");
            if (seq is ErrorNode) return null;
            if (b.RecurrentOutputOf(seq) is RecurrentOutput call) return call;
            b.Diagnostics.ReportNotRecurrentOutput(a["seq"]!.Span, function, b.Text(a["seq"]!.Span),
                "its argument must be the value of a call of an rnn, lstm or gru layer, such as let h = lstm(x); — the final state belongs to that call");
            return null;
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
                        b.Diagnostics.ReportIndexOutOfRange(index.Index.Span, b.Text(index.Index.Span), target.Shape, rows);
                        return new ErrorNode(index.Span);
                    }
                    int t = value < 0 ? (int)value + rows : (int)value;
                    return b.Add(SliceNode.Row(target, t, index.Span));
                }
                default:
                    b.Diagnostics.ReportIndexKind(index.Index.Span, b.Text(index.Index.Span));
                    return new ErrorNode(index.Span);
            }
        }

        private static Node ShapeError(Binder b, SourceSpan span, string message)
        {
            b.Diagnostics.ReportShapeMismatch(span, message);
            return new ErrorNode(span);
        }
    }
}
