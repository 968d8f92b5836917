using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// The language's built-in functions. Each entry lowers a call to IR nodes; composite functions
    /// (losses, dot, clamp, poly, regularizers) are written in terms of primitive ops, so they need
    /// no gradient code of their own.
    /// </summary>
    public static class Builtins
    {
        private delegate Node Lowering(Binder b, CallArguments args, SourceSpan span);

        private sealed record Builtin(Signature Signature, Lowering Lower);

        private static readonly Dictionary<string, Builtin> Table = new Dictionary<string, Builtin>();

        private static readonly string[] NotYetSupported = { };

        public static IEnumerable<string> Names => Table.Keys.Concat(NotYetSupported);
        public static bool Contains(string name) => Table.ContainsKey(name) || NotYetSupported.Contains(name);

        private static void Define(Signature signature, Lowering lower) => Table[signature.Function] = new Builtin(signature, lower);

        static Builtins()
        {
            // ---- elementwise ----
            foreach (var function in UnaryFunctions.ByName.Values)
            {
                var f = function;
                Define(Signature.Of(f.Name, 1, "x"), (b, a, s) => b.Unary(f, b.Tensor(a, "x"), s));
            }
            Define(Signature.Of("leaky_relu", 1, "x", "slope"), (b, a, s) =>
                b.Number(a, "slope", 0.01) is double slope ? b.Unary(UnaryFunctions.LeakyRelu(slope), b.Tensor(a, "x"), s) : new ErrorNode(s));
            Define(Signature.Of("elu", 1, "x", "alpha"), (b, a, s) =>
                b.Number(a, "alpha", 1.0) is double alpha ? b.Unary(UnaryFunctions.Elu(alpha), b.Tensor(a, "x"), s) : new ErrorNode(s));
            Define(Signature.Of("pow", 2, "x", "k"), (b, a, s) =>
                b.Number(a, "k") is double k ? b.Unary(UnaryFunctions.Pow(k), b.Tensor(a, "x"), s) : new ErrorNode(s));
            Define(Signature.Of("max", 2, "a", "b"), (b, a, s) => b.Elementwise(BinaryFunctions.Max, b.Tensor(a, "a"), b.Tensor(a, "b"), s));
            Define(Signature.Of("min", 2, "a", "b"), (b, a, s) => b.Elementwise(BinaryFunctions.Min, b.Tensor(a, "a"), b.Tensor(a, "b"), s));
            Define(Signature.Of("clamp", 3, "x", "lo", "hi"), (b, a, s) =>
            {
                var x = b.Tensor(a, "x");
                if (b.Number(a, "lo") is not double lo || b.Number(a, "hi") is not double hi) return new ErrorNode(s);
                if (!(lo <= hi)) return Reported(s, () => b.Diagnostics.ReportClampBounds(s, lo, hi));
                return b.Elementwise(BinaryFunctions.Min, b.Elementwise(BinaryFunctions.Max, x, b.Constant(lo, s), s), b.Constant(hi, s), s);
            });

            Define(Signature.Of("masked_fill", 3, "x", "mask", "value"), MaskedFill);

            // ---- reductions and shape ----
            Define(Signature.Of("sum", 1, "x", "axis"), (b, a, s) => Reduce(b, a, s, ReduceKind.Sum));
            Define(Signature.Of("mean", 1, "x", "axis"), (b, a, s) => Reduce(b, a, s, ReduceKind.Mean));
            Define(Signature.Of("max_over", 1, "x", "axis"), (b, a, s) => Reduce(b, a, s, ReduceKind.Max));
            Define(Signature.Of("softmax", 1, "x", "axis"), (b, a, s) => Softmax(b, a, log: false, s));
            Define(Signature.Of("log_softmax", 1, "x", "axis"), (b, a, s) => Softmax(b, a, log: true, s));
            Define(Signature.Of("dot", 2, "a", "b"), (b, a, s) =>
            {
                var product = b.Elementwise(BinaryFunctions.Multiply, b.Tensor(a, "a"), b.Tensor(a, "b"), s, "'dot'", s);
                if (product is ErrorNode) return product;
                return product.Shape.Rank == 0 ? product : b.Add(ReduceNode.Create(ReduceKind.Sum, product, product.Shape.Rank - 1, s));
            });
            Define(Signature.VariadicOf("concat", "axis"), Concat);
            Define(Signature.Of("reshape", 2, "x", "shape"), Reshape);
            Define(Signature.Of("flatten", 1, "x"), (b, a, s) =>
            {
                var x = b.Tensor(a, "x");
                return x is ErrorNode || x.Shape.Rank == 1 ? x : b.Add(new ReshapeNode(x, new Shape(x.Shape.Size), s));
            });
            // transpose(x): the axes reversed (a matrix's two swapped); transpose(x, [1, 0, 2]): numpy's axes;
            // transpose(x, -2, -1): torch.transpose's swap of two axes. permute(x, [..]) is torch.permute.
            Define(Signature.Of("transpose", 1, "x", "dim0", "dim1"), Transpose);
            Define(Signature.Of("permute", 2, "x", "dims"), (b, a, s) =>
            {
                var x = b.Tensor(a, "x");
                return x is ErrorNode ? x : Permute(b, x, a, "dims", s);
            });
            // causal_mask(T): 0 on and below the diagonal, -inf above (generate_square_subsequent_mask), to add to attention scores.
            Define(Signature.Of("causal_mask", 1, "size"), (b, a, s) => b.Count(a, "size", 1) is int size ? b.Add(new CausalMaskNode(size, s)) : new ErrorNode(s));
            Define(Signature.Of("poly", 2, "x", "d"), (b, a, s) =>
            {
                var x = b.Tensor(a, "x");
                if (b.Count(a, "d", 1) is not int degree || x is ErrorNode) return new ErrorNode(s);
                if (degree > CompileBudget.MaxOperations)
                    return Reported(s, () => b.Diagnostics.ReportPolynomialDegree(a["d"]!.Span, degree));
                if (degree == 1) return x;
                var powers = new List<Node> { x };
                for (int k = 2; k <= degree; k++) powers.Add(b.Unary(k == 2 ? UnaryFunctions.Square : UnaryFunctions.Pow(k), x, s));
                var expanded = x.Shape.Rank == 0 ? powers.Select(p => (Node)b.Add(new ReshapeNode(p, new Shape(1), s))).ToList() : powers;
                int axis = Math.Max(0, x.Shape.Rank - 1);
                var dims = expanded[0].Shape.Dims.ToArray();
                dims[axis] *= degree;
                return b.Add(new ConcatNode(expanded, axis, new Shape(dims), s));
            });

            // ---- stochastic ----
            Define(Signature.Of("dropout", 2, "x", "p"), (b, a, s) =>
            {
                var x = b.Tensor(a, "x");
                if (b.Number(a, "p") is not double p || x is ErrorNode) return new ErrorNode(s);
                if (p < 0 || p >= 1) return Reported(s, () => b.Diagnostics.ReportDropoutProbability(s, p));
                if (!x.IsBatched) return Reported(s, () => b.Diagnostics.ReportDropoutOfParameters(s));
                return p == 0 ? x : b.Add(new DropoutNode(x, p, s));
            });

            Define(Signature.Of("sample_normal", 2, "mu", "logvar"), SequenceBuiltins.SampleNormal);
            Define(Signature.Of("last", 1, "seq"), SequenceBuiltins.Last);
            Define(Signature.Of("last_state", 1, "seq"), SequenceBuiltins.LastState);
            Define(Signature.Of("last_cell", 1, "seq"), SequenceBuiltins.LastCell);

            // ---- losses (per example) ----
            Define(Signature.Of("mse", 2, "p", "y", "reduce"), (b, a, s) =>
                ElementLoss(b, a, s, (p, y) => b.Unary(UnaryFunctions.Square, b.Elementwise(BinaryFunctions.Subtract, p, y, s, "'mse'", s), s)));
            Define(Signature.Of("mae", 2, "p", "y", "reduce"), (b, a, s) =>
                ElementLoss(b, a, s, (p, y) => b.Unary(UnaryFunctions.Abs, b.Elementwise(BinaryFunctions.Subtract, p, y, s, "'mae'", s), s)));
            Define(Signature.Of("huber", 2, "p", "y", "delta", "reduce"), (b, a, s) =>
            {
                if (b.Number(a, "delta", 1.0) is not double delta) return new ErrorNode(s);
                if (delta <= 0) return Reported(s, () => b.Diagnostics.ReportHuberDelta(s, delta));
                return ElementLoss(b, a, s, (p, y) => b.Unary(UnaryFunctions.Huber(delta), b.Elementwise(BinaryFunctions.Subtract, p, y, s, "'huber'", s), s));
            });
            Define(Signature.Of("bce", 2, "p", "y", "reduce"), (b, a, s) =>
                ElementLoss(b, a, s, (p, y) => b.Elementwise(BinaryFunctions.Bce, p, y, s, "'bce'", s)));
            Define(Signature.Of("bce_logits", 2, "z", "y", "reduce"), (b, a, s) =>
                ElementLoss(b, a, s, (z, y) => b.Elementwise(BinaryFunctions.BceWithLogits, z, y, s, "'bce_logits'", s), "z"));
            Define(Signature.Of("hinge", 2, "s", "y", "reduce"), (b, a, s) => ElementLoss(b, a, s, (score, y) =>
                b.Unary(UnaryFunctions.Relu, b.Elementwise(BinaryFunctions.Subtract, b.Constant(1, s),
                    b.Elementwise(BinaryFunctions.Multiply, y, score, s, "'hinge'", s), s), s), "s"));
            Define(Signature.Of("perceptron", 2, "s", "y", "reduce"), (b, a, s) => ElementLoss(b, a, s, (score, y) =>
                b.Unary(UnaryFunctions.Relu, b.Unary(UnaryFunctions.Negate,
                    b.Elementwise(BinaryFunctions.Multiply, y, score, s, "'perceptron'", s), s), s), "s"));
            Define(Signature.Of("cross_entropy", 2, "logits", "y", "reduce", "ignore_index", "label_smoothing"), (b, a, s) => ClassLoss(b, a, s, ClassLossInput.Logits));
            Define(Signature.Of("nll_loss", 2, "logp", "y", "reduce", "ignore_index"), (b, a, s) => ClassLoss(b, a, s, ClassLossInput.LogProbabilities));
            Define(Signature.Of("kl_normal", 2, "mu", "logvar"), (b, a, s) =>
            {
                // -0.5 * sum(1 + logvar - mu^2 - exp(logvar))
                var mu = b.Tensor(a, "mu");
                var logvar = b.Tensor(a, "logvar");
                var inner = b.Elementwise(BinaryFunctions.Subtract,
                    b.Elementwise(BinaryFunctions.Subtract, b.Elementwise(BinaryFunctions.Add, b.Constant(1, s), logvar, s), b.Unary(UnaryFunctions.Square, mu, s), s, "'kl_normal'", s),
                    b.Unary(UnaryFunctions.Exp, logvar, s), s);
                if (inner is ErrorNode) return inner;
                return b.Elementwise(BinaryFunctions.Multiply, b.Constant(-0.5, s), b.Add(ReduceNode.Create(ReduceKind.Sum, inner, null, s)), s);
            });

            // ---- regularizers ----
            Define(Signature.VariadicOf("l1"), (b, a, s) => Regularizer(b, a, s, UnaryFunctions.Abs));
            Define(Signature.VariadicOf("l2"), (b, a, s) => Regularizer(b, a, s, UnaryFunctions.Square));
        }

        /// <summary>Binds a call of a built-in function.</summary>
        public static Node Bind(Binder binder, string name, CallSyntax call)
        {
            if (NotYetSupported.Contains(name))
            {
                binder.Diagnostics.ReportNotSupportedYet(call.Callee.Span, name);
                return new ErrorNode(call.Span);
            }
            var builtin = Table[name];
            var args = CallArguments.Match(call, builtin.Signature, binder.Diagnostics);
            if (!args.IsValid) return new ErrorNode(call.Span);
            return builtin.Lower(binder, args, call.Span);
        }

        /// <summary>Reports through the given Report method and stands in for the value that could not be bound.</summary>
        /// <summary>
        /// masked_fill(x, mask, value): x and the mask broadcast as in torch.masked_fill. A mask
        /// computed from parameters is refused: it would pass them no gradient and so never learn.
        /// </summary>
        private static Node MaskedFill(Binder b, CallArguments a, SourceSpan s)
        {
            var x = b.Tensor(a, "x");
            var mask = b.Tensor(a, "mask");
            if (b.Number(a, "value") is not double value || x is ErrorNode || mask is ErrorNode) return new ErrorNode(s);
            if (FirstParameter(mask) is ParameterNode learned)
                return Reported(s, () => b.Diagnostics.ReportLearnedMask(a["mask"]!.Span, b.TextOf(a["mask"]!.Span), learned.Name!));
            return b.Elementwise(BinaryFunctions.MaskedFill(value), x, mask, s, "'masked_fill' (x and mask)", s);
        }

        private static ParameterNode? FirstParameter(Node node)
        {
            var seen = new HashSet<Node>();
            var stack = new Stack<Node>();
            stack.Push(node);
            while (stack.Count > 0)
            {
                var n = stack.Pop();
                if (!seen.Add(n)) continue;
                if (n is ParameterNode parameter) return parameter;
                foreach (var input in n.Inputs) stack.Push(input);
            }
            return null;
        }

        private static Node Reported(SourceSpan span, Action report)
        {
            report();
            return new ErrorNode(span);
        }

        private static Node Shape(Binder b, SourceSpan span, string message)
        {
            b.Diagnostics.ReportShapeMismatch(span, message);
            return new ErrorNode(span);
        }

        private static Node Reduce(Binder b, CallArguments a, SourceSpan s, ReduceKind kind)
        {
            var x = b.Tensor(a, "x");
            if (x is ErrorNode) return x;
            if (a.Has("axis"))
            {
                if (b.Axis(a, "axis", x) is not int axis) return new ErrorNode(s);
                return b.Add(ReduceNode.Create(kind, x, axis, s));
            }
            return b.Add(ReduceNode.Create(kind, x, null, s));
        }

        /// <summary>softmax(x, axis: -1) and log_softmax over one axis, the last by default (PyTorch's dim).</summary>
        private static Node Softmax(Binder b, CallArguments a, bool log, SourceSpan s)
        {
            var x = b.Tensor(a, "x");
            if (x is ErrorNode) return x;
            if (x.Shape.Rank == 0) return Shape(b, s, $"{(log ? "log_softmax" : "softmax")} acts on the last axis, but its argument is a scalar");
            int axis = x.Shape.Rank - 1;
            if (a.Has("axis"))
            {
                if (b.Axis(a, "axis", x) is not int given) return new ErrorNode(s);
                axis = given;
            }
            return b.Add(new SoftmaxNode(x, log, axis, s));
        }

        private static Node Transpose(Binder b, CallArguments a, SourceSpan s)
        {
            var x = b.Tensor(a, "x");
            if (x is ErrorNode) return x;
            if (a["dim0"] is ListSyntax)
            {
                if (a.Has("dim1")) return Reported(s, () => b.Diagnostics.ReportTransposeListAndAxis(a["dim1"]!.Span));
                return Permute(b, x, a, "dim0", s);
            }
            if (a.Has("dim0") != a.Has("dim1"))
                return Reported(s, () => b.Diagnostics.ReportTransposeNeedsTwoAxes(a[a.Has("dim0") ? "dim0" : "dim1"]!.Span));
            if (x.Shape.Rank < 2) return x;
            var axes = Enumerable.Range(0, x.Shape.Rank).ToArray();
            if (!a.Has("dim0")) Array.Reverse(axes);
            else
            {
                if (b.Axis(a, "dim0", x) is not int first || b.Axis(a, "dim1", x) is not int second) return new ErrorNode(s);
                (axes[first], axes[second]) = (axes[second], axes[first]);
            }
            return b.Add(PermuteNode.Create(x, axes, s)!);
        }

        /// <summary>x with its axes in the order a list argument gives (negative axes count from the end).</summary>
        private static Node Permute(Binder b, Node x, CallArguments a, string argument, SourceSpan s)
        {
            if (a[argument] is not ListSyntax list)
                return Reported(s, () => b.Diagnostics.ReportPermutationNotAList(a[argument]!.Span, a.Signature.Function));
            var axes = new int[list.Items.Count];
            for (int k = 0; k < axes.Length; k++)
            {
                var item = list.Items[k];
                double? value = ListNumber(item);
                int axis = value is double v && v == Math.Floor(v) && Math.Abs(v) <= x.Shape.Rank ? x.Shape.NormalizeAxis((int)v) : -1;
                if (axis < 0)
                    return Reported(s, () => b.Diagnostics.ReportPermutationAxis(item.Span, b.Text(item.Span), x.Shape.ToString()));
                axes[k] = axis;
            }
            var node = PermuteNode.Create(x, axes, s);
            if (node is null)
                return Reported(s, () => b.Diagnostics.ReportNotAPermutation(list.Span, b.Text(list.Span), x.Shape.ToString()));
            return axes.Select((axis, i) => axis == i).All(same => same) ? x : b.Add(node);
        }

        /// <summary>A number written in a list ([7, -1]): a literal, possibly negated; null for anything else.</summary>
        private static double? ListNumber(ExpressionSyntax item) => item switch
        {
            NumberSyntax n => n.Value,
            UnarySyntax { Operator: UnaryOperator.Negate, Operand: NumberSyntax n } => -n.Value,
            _ => null,
        };

        private static Node Concat(Binder b, CallArguments a, SourceSpan s)
        {
            if (a.Rest.Count < 2)
            {
                b.Diagnostics.ReportConcatNeedsTwo(s);
                return new ErrorNode(s);
            }
            var parts = a.Rest.Select(b.BindExpression).ToList();
            if (parts.Any(p => p is ErrorNode)) return new ErrorNode(s);
            var first = parts[0];
            if (first.Shape.Rank == 0) return Shape(b, s, "concat joins tensors along an axis, but its first argument is a scalar");
            int axis = 0;
            if (a.Has("axis"))
            {
                if (b.Axis(a, "axis", first) is not int ax) return new ErrorNode(s);
                axis = ax;
            }
            var dims = first.Shape.Dims.ToArray();
            for (int k = 1; k < parts.Count; k++)
            {
                var p = parts[k];
                bool compatible = p.Shape.Rank == first.Shape.Rank &&
                                  Enumerable.Range(0, dims.Length).All(d => d == axis || p.Shape[d] == first.Shape[d]);
                if (!compatible)
                    return Shape(b, a.Rest[k].Span, $"shape mismatch in concat on axis {axis}: {first.Shape} and {p.Shape} differ outside that axis");
                dims[axis] += p.Shape[axis];
            }
            return b.Add(new ConcatNode(parts, axis, new Ir.Shape(dims), s));
        }

        private static Node Reshape(Binder b, CallArguments a, SourceSpan s)
        {
            var x = b.Tensor(a, "x");
            if (a["shape"] is not ListSyntax list)
            {
                b.Diagnostics.ReportReshapeShapeNotAList(a["shape"]!.Span);
                return new ErrorNode(s);
            }
            if (x is ErrorNode) return x;
            var dims = new int[list.Items.Count];
            int inferred = -1;
            for (int k = 0; k < dims.Length; k++)
            {
                var item = list.Items[k];
                double? value = ListNumber(item);
                if (value == -1 && inferred < 0) { inferred = k; dims[k] = 1; continue; }
                if (value is not double v || v < 1 || v != Math.Floor(v) || v > int.MaxValue)
                {
                    b.Diagnostics.ReportReshapeSize(item.Span);
                    return new ErrorNode(s);
                }
                dims[k] = (int)v;
            }
            long known = Ir.Shape.SizeOf(dims);
            if (inferred >= 0 && known > 0 && x.Shape.Size % known == 0) dims[inferred] = (int)(x.Shape.Size / known);
            if (Ir.Shape.SizeOf(dims) != x.Shape.Size)
            {
                b.Diagnostics.ReportReshapeMismatch(list.Span, x.Shape, dims);
                return new ErrorNode(s);
            }
            return b.Add(new ReshapeNode(x, new Ir.Shape(dims), s));
        }

        /// <summary>A loss that is the mean (or, with reduce: sum, the sum) of an elementwise term over the example.</summary>
        private static Node ElementLoss(Binder b, CallArguments a, SourceSpan s, Func<Node, Node, Node> term, string first = "p")
        {
            var p = b.Tensor(a, first);
            var y = b.Tensor(a, "y");
            var reduce = b.Word(a, "reduce", "mean", "mean", "sum");
            if (p is ErrorNode || y is ErrorNode || reduce is null) return new ErrorNode(s);
            var elements = term(p, y);
            if (elements is ErrorNode) return elements;
            return b.Add(ReduceNode.Create(reduce == "sum" ? ReduceKind.Sum : ReduceKind.Mean, elements, null, s));
        }

        /// <summary>
        /// cross_entropy(logits, y) and nll_loss(logp, y): for an int&lt;N&gt; target (or int&lt;N&gt;[T]),
        /// one ClassLossNode; cross_entropy with a float target of the logits' shape lowers to
        /// -sum(y log_softmax(logits)), with label smoothing mixing y towards 1/N as PyTorch does.
        /// </summary>
        private static Node ClassLoss(Binder b, CallArguments a, SourceSpan s, ClassLossInput input)
        {
            string name = a.Signature.Function, scoresName = input == ClassLossInput.Logits ? "logits" : "logp";
            var scores = b.Tensor(a, scoresName);
            var y = b.BindAny(a["y"]!);
            var reduce = b.Word(a, "reduce", "mean", "mean", "sum");
            var smoothing = b.Number(a, "label_smoothing", 0.0);
            int? ignoreIndex = null;
            if (a["ignore_index"] is ExpressionSyntax ignoreSyntax)
            {
                if (b.Number(a, "ignore_index") is not double ignored) return new ErrorNode(s);
                if (ignored != Math.Floor(ignored) || Math.Abs(ignored) > int.MaxValue)
                    return Reported(s, () => b.Diagnostics.ReportIgnoreIndexNotWhole(ignoreSyntax.Span, name, b.Text(ignoreSyntax.Span)));
                ignoreIndex = (int)ignored;
            }
            if (scores is ErrorNode || y is ErrorNode || reduce is null || smoothing is not double epsilon) return new ErrorNode(s);
            if (!(epsilon >= 0 && epsilon <= 1))
                return Reported(s, () => b.Diagnostics.ReportLabelSmoothing(a["label_smoothing"]!.Span, name, b.Text(a["label_smoothing"]!.Span)));
            if (scores.Shape.Rank == 0) return Shape(b, s, $"{name} needs a vector of {(input == ClassLossInput.Logits ? "logits" : "log-probabilities")}, but got a scalar");
            if (input == ClassLossInput.LogProbabilities && scores is SoftmaxNode { IsLog: false })
                b.Diagnostics.ReportNllLossOfSoftmax(a[scoresName]!.Span);
            if (y is DataNode { IsInteger: true } labels)
            {
                if (scores.Shape.Rank != labels.Shape.Rank + 1 || !scores.Shape.Dims.Take(labels.Shape.Rank).SequenceEqual(labels.Shape.Dims))
                    return Shape(b, s, labels.Shape.Rank == 0
                        ? $"{name} with a class-id target needs {scoresName} of shape [N], but got {scores.Shape}"
                        : $"shape mismatch: {name} of '{labels.Name}' (int<{labels.Classes}>{labels.Shape}) needs {scoresName} of shape [{string.Join(", ", labels.Shape.Dims)}, {labels.Classes}], but got {scores.Shape}");
                if (scores.Shape.Last != labels.Classes)
                    return Shape(b, s, $"shape mismatch: {name} has {scores.Shape.Last} {(input == ClassLossInput.Logits ? "logits" : "log-probabilities")} but '{labels.Name}' is int<{labels.Classes}>");
                return b.Add(new ClassLossNode(input, scores, labels, s, sumOverSteps: reduce == "sum", ignoreIndex, epsilon));
            }
            if (y.Storage == StorageKind.Int) return new ErrorNode(s);
            if (input == ClassLossInput.LogProbabilities)
                return Reported(s, () => b.Diagnostics.ReportNllLossOfFloats(a["y"]!.Span, b.Text(a["y"]!.Span), y.Shape.ToString()));
            if (ignoreIndex is not null)
                return Reported(s, () => b.Diagnostics.ReportIgnoreIndexOfFloats(a["ignore_index"]!.Span));
            if (!y.Shape.Equals(scores.Shape))
                return Shape(b, s, $"shape mismatch: cross_entropy with a float target needs the logits' shape {scores.Shape}, but the target is {y.Shape}");
            if (epsilon != 0)
            {
                // PyTorch: y (1 - e) + e / N.
                y = b.Elementwise(BinaryFunctions.Add, b.Elementwise(BinaryFunctions.Multiply, y, b.Constant(1 - epsilon, s), s),
                    b.Constant(epsilon / scores.Shape.Last, s), s);
            }
            // -sum(y * log_softmax(logits)) over the last axis, then summed (or averaged) over the rest.
            var logProbabilities = b.Add(new SoftmaxNode(scores, log: true, s));
            var weighted = b.Elementwise(BinaryFunctions.Multiply, y, logProbabilities, s);
            var perRow = b.Add(ReduceNode.Create(ReduceKind.Sum, weighted, weighted.Shape.Rank - 1, s));
            var total = perRow.Shape.Rank == 0 ? perRow : b.Add(ReduceNode.Create(reduce == "sum" ? ReduceKind.Sum : ReduceKind.Mean, perRow, null, s));
            return b.Unary(UnaryFunctions.Negate, total, s);
        }

        /// <summary>l1 / l2: the sum over the listed tensors (or `params`: every trainable parameter) of |w| or w².</summary>
        private static Node Regularizer(Binder b, CallArguments a, SourceSpan s, UnaryFunction term)
        {
            var name = a.Signature.Function;
            if (a.Rest.Count == 0)
            {
                b.Diagnostics.ReportRegularizerWithoutTensors(s, name);
                return new ErrorNode(s);
            }
            var tensors = new List<Node>();
            foreach (var argument in a.Rest)
            {
                if (argument is NameSyntax { Name: "params" }) tensors.AddRange(b.AllParameters);
                else tensors.Add(b.BindExpression(argument));
            }
            if (tensors.Any(t => t is ErrorNode)) return new ErrorNode(s);
            if (tensors.Count > 0 && tensors.All(t => !t.IsBatched && t is not ConstantNode))
                return b.Add(new PenaltyNode(term == UnaryFunctions.Abs ? PenaltyKind.L1 : PenaltyKind.L2, tensors, s));
            // On per-example tensors the penalty is per example: lower it to primitives.
            Node? total = null;
            foreach (var t in tensors)
            {
                var sum = b.Add(ReduceNode.Create(ReduceKind.Sum, b.Unary(term, t, s), null, s));
                total = total is null ? sum : b.Elementwise(BinaryFunctions.Add, total, sum, s);
            }
            return total ?? b.Constant(0, s);
        }
    }
}
