using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    public sealed partial class Binder
    {
        /// <summary>Binds a float-valued expression. Class-id data is refused here (it is only meaningful as a target).</summary>
        public Node BindExpression(ExpressionSyntax expression)
        {
            var node = BindAny(expression);
            if (node.Storage == StorageKind.Int)
            {
                Diagnostics.ReportClassIdsAsNumbers(expression.Span, TextOf(expression.Span), ((DataNode)node).Classes);
                return new ErrorNode(expression.Span);
            }
            return node;
        }

        /// <summary>Binds any expression, class-id data included.</summary>
        public Node BindAny(ExpressionSyntax expression)
        {
            // The parser caps nesting, but a caller may still run us on a small stack: refuse, don't crash.
            try { System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); }
            catch (System.InsufficientExecutionStackException)
            {
                if (!_stackExhausted)
                    Diagnostics.ReportExpressionTooDeep(expression.Span);
                _stackExhausted = true;
                return new ErrorNode(expression.Span);
            }
            switch (expression)
            {
                case NumberSyntax number:
                    return new ConstantNode(number.Value, number.Span);
                case NameSyntax name:
                    return BindName(name);
                case UnarySyntax unary:
                {
                    var operand = BindExpression(unary.Operand);
                    if (operand is ErrorNode || unary.Operator == UnaryOperator.Plus) return operand;
                    if (operand is ConstantNode c) return new ConstantNode(-c.Value, unary.Span);
                    return Add(new UnaryNode(UnaryFunctions.Negate, operand, unary.Span));
                }
                case BinarySyntax binary:
                    return BindBinary(binary);
                case CallSyntax call:
                    return BindCall(call);
                case MemberSyntax member:
                    return BindMember(member);
                case IndexSyntax index:
                    return SequenceBuiltins.BindIndex(this, index);
                case ListSyntax list:
                    Diagnostics.ReportListOutsideShape(list.Span);
                    return new ErrorNode(list.Span);
                default:
                    return new ErrorNode(expression.Span);
            }
        }

        private Node BindName(NameSyntax name)
        {
            switch (Lookup(name.Name, name.Span))
            {
                case ValueSymbol value:
                    return value.Node;
                case ErrorSymbol:
                    return new ErrorNode(name.Span);
                case LayerSymbol layer:
                    Diagnostics.ReportLayerNotCalled(name.Span, name.Name);
                    return new ErrorNode(name.Span);
                default:
                    return new ErrorNode(name.Span);
            }
        }

        private Node BindBinary(BinarySyntax binary)
        {
            var left = BindExpression(binary.Left);
            var right = BindExpression(binary.Right);
            if (left is ErrorNode || right is ErrorNode) return new ErrorNode(binary.Span);

            if (binary.Operator == BinaryOperator.MatMul)
                return Add(MatMulNode.Create(left, right, binary.Span, message => Diagnostics.ReportShapeMismatch(binary.OperatorSpan, message)));

            var function = binary.Operator switch
            {
                BinaryOperator.Add => BinaryFunctions.Add,
                BinaryOperator.Subtract => BinaryFunctions.Subtract,
                BinaryOperator.Multiply => BinaryFunctions.Multiply,
                _ => BinaryFunctions.Divide,
            };
            if (left is ConstantNode a && right is ConstantNode b)
            {
                double value = binary.Operator switch
                {
                    BinaryOperator.Add => a.Value + b.Value,
                    BinaryOperator.Subtract => a.Value - b.Value,
                    BinaryOperator.Multiply => a.Value * b.Value,
                    _ => a.Value / b.Value,
                };
                return new ConstantNode(value, binary.Span);
            }
            return Elementwise(function, left, right, binary.Span, $"'{function.Symbol}'", binary.OperatorSpan);
        }

        /// <summary>An elementwise binary op with broadcasting, reporting a mismatch at reportAt.</summary>
        public Node Elementwise(BinaryFunction function, Node left, Node right, SourceSpan span, string what, SourceSpan reportAt)
        {
            if (left is ErrorNode || right is ErrorNode) return new ErrorNode(span);
            return Add(BinaryNode.Create(function, left, right, span, (sa, sb) =>
                Diagnostics.ReportBroadcastMismatch(reportAt, what, sa, sb)));
        }

        public Node Elementwise(BinaryFunction function, Node left, Node right, SourceSpan span) =>
            Elementwise(function, left, right, span, $"'{function.Name}'", span);

        public Node Unary(UnaryFunction function, Node x, SourceSpan span) =>
            x is ErrorNode ? x : Add(new UnaryNode(function, x, span));

        public Node Constant(double value, SourceSpan span) => new ConstantNode(value, span);

        private Node BindCall(CallSyntax call)
        {
            switch (call.Callee)
            {
                case NameSyntax name:
                {
                    if (_scope.ContainsKey(name.Name) || !Builtins.Contains(name.Name))
                    {
                        if (!_scope.ContainsKey(name.Name) && LayerKinds.Contains(name.Name))
                        {
                            Diagnostics.ReportLayerKindCalled(name.Span, name.Name);
                            return new ErrorNode(call.Span);
                        }
                        var symbol = Lookup(name.Name, name.Span, asFunction: true);
                        if (symbol is LayerSymbol layer) return ApplyLayer(layer.Layer, call);
                        if (symbol is ValueSymbol { Node: not ErrorNode })
                            Diagnostics.ReportValueCalled(name.Span, name.Name);
                        return new ErrorNode(call.Span);
                    }
                    return Builtins.Bind(this, name.Name, call);
                }
                case MemberSyntax member:
                    Diagnostics.ReportBlockMemberCalled(member.Span, TextOf(member.Span));
                    return new ErrorNode(call.Span);
                default:
                    Diagnostics.ReportNotCallable(call.Callee.Span);
                    return new ErrorNode(call.Span);
            }
        }

        private Node ApplyLayer(Layer layer, CallSyntax call)
        {
            if (layer is RecurrentLayer recurrent) return ApplyRecurrent(recurrent, call);
            if (call.Arguments.Count != 1 || call.Arguments[0].Name is not null)
            {
                Diagnostics.ReportLayerTakesOneInput(call.Span, layer.Name);
                return new ErrorNode(call.Span);
            }
            var argument = call.Arguments[0].Value;
            var x = layer.TakesClassIds ? BindAny(argument) : BindExpression(argument);
            if (x is ErrorNode)
            {
                // The argument's error is reported; the layer was meant to be used, so say nothing more about it.
                layer.MarkAttempted();
                return x;
            }
            return layer.Apply(this, x, TextOf(argument.Span), call.Span);
        }

        /// <summary>rnn(x, h0), gru(x, h0), lstm(x, h0, c0): the sequence and, optionally, the initial state.</summary>
        private Node ApplyRecurrent(RecurrentLayer layer, CallSyntax call)
        {
            if (call.Arguments.Count < 1 || call.Arguments.Count > 1 + layer.StateInputs || call.Arguments.Any(a => a.Name is not null))
            {
                Diagnostics.ReportRecurrentLayerInputs(call.Span, layer.Name, layer.CallForm);
                return new ErrorNode(call.Span);
            }
            var values = call.Arguments.Select(a => BindExpression(a.Value)).ToArray();
            if (values.Any(v => v is ErrorNode))
            {
                layer.MarkAttempted();
                return new ErrorNode(call.Span);
            }
            var states = values.Skip(1).Select((v, k) => new StateArgument(v, TextOf(call.Arguments[k + 1].Value.Span), call.Arguments[k + 1].Value.Span)).ToArray();
            return layer.Apply(this, values[0], states, TextOf(call.Arguments[0].Value.Span), call.Span);
        }

        private readonly Dictionary<Node, RecurrentOutput> _recurrentOutputs = new Dictionary<Node, RecurrentOutput>();

        /// <summary>Remembers what a recurrent layer's call computed, for last_state and last_cell of its value.</summary>
        internal void RememberRecurrentOutput(Node sequence, RecurrentOutput output) => _recurrentOutputs[sequence] = output;

        /// <summary>The recurrent call whose value this node is, or null.</summary>
        internal RecurrentOutput? RecurrentOutputOf(Node node) => _recurrentOutputs.TryGetValue(node, out var output) ? output : null;

        private Node BindMember(MemberSyntax member)
        {
            // res1.conv1.weight: a parameter of a layer inside a block instance, named by its path.
            string path = member.Member;
            var root = member.Target;
            while (root is MemberSyntax inner)
            {
                path = inner.Member + "." + path;
                root = inner.Target;
            }
            if (root is not NameSyntax target)
            {
                Diagnostics.ReportMemberOfValue(member.Span);
                return new ErrorNode(member.Span);
            }
            var symbol = Lookup(target.Name, target.Span);
            if (symbol is null || symbol is ErrorSymbol || symbol is ValueSymbol { Node: ErrorNode }) return new ErrorNode(member.Span);
            if (symbol is not LayerSymbol layerSymbol)
            {
                Diagnostics.ReportMemberOfNonLayer(member.MemberSpan, target.Name, path);
                return new ErrorNode(member.Span);
            }
            var layer = layerSymbol.Layer;
            if (!layer.IsUsed && layer.IsAttempted) return new ErrorNode(member.Span);
            if (!layer.IsUsed)
            {
                Diagnostics.ReportParameterBeforeFirstCall(member.Span, layer.Name, path);
                return new ErrorNode(member.Span);
            }
            var parameter = layer.Member(path);
            if (parameter is null)
            {
                Diagnostics.ReportUnknownParameter(member.MemberSpan, layer.Name, path, layer.MemberNames);
                return new ErrorNode(member.Span);
            }
            return parameter;
        }

        private void BindLayer(LayerSyntax syntax)
        {
            var layer = CreateLayer(syntax.Name, syntax.Constructor);
            if (layer is null)
            {
                Declare(new ErrorSymbol(syntax.Name, syntax.NameSpan, _statement));
                return;
            }
            if (Declare(new LayerSymbol(syntax.Name, layer, syntax.NameSpan, _statement))) _layers.Add(layer);
        }

        /// <summary>
        /// The layer `kind(...)` describes, named <paramref name="name"/> (a block's layers carry
        /// the instance's prefix: res1.conv1), or null after reporting why not.
        /// </summary>
        private Layer? CreateLayer(string name, CallSyntax call)
        {
            if (call.Callee is not NameSyntax kind)
            {
                Diagnostics.ReportLayerWithoutKind(call.Callee.Span);
                return null;
            }
            if (LayerKinds.Contains(kind.Name)) return LayerKinds.Create(this, kind.Name, name, NextDeclarationOrder(), call);
            if (_blocks.TryGetValue(kind.Name, out var block)) return CreateBlockLayer(name, block, call);
            Diagnostics.ReportUnknownLayerKind(kind.Span, kind.Name, LayerKinds.Names.Concat(_blocks.Keys));
            return null;
        }

        /// <summary>zeros | ones | xavier | he | normal(std) | normal(mean, std) | uniform(low, high).</summary>
        public Initializer? BindInitializer(ExpressionSyntax syntax)
        {
            string[] known = { "zeros", "ones", "xavier", "he", "normal", "uniform" };
            switch (syntax)
            {
                case NameSyntax { Name: "zeros" }: return Initializer.Zeros;
                case NameSyntax { Name: "ones" }: return Initializer.Ones;
                case NameSyntax { Name: "xavier" }: return Initializer.Xavier;
                case NameSyntax { Name: "he" }: return Initializer.He;
                case CallSyntax { Callee: NameSyntax { Name: "normal" } } call:
                {
                    var args = CallArguments.Match(call, Signature.Of("normal", 1, "mean", "std"), Diagnostics);
                    if (!args.IsValid) return null;
                    // normal(s) is a standard deviation alone (mean 0), as dense(init: normal(0.02)) reads.
                    if (!args.Has("std")) return Number(args, "mean") is double s ? CheckedStd(s, call) : null;
                    return Number(args, "mean") is double m && Number(args, "std") is double sd ? CheckedStd(sd, call, m) : null;
                }
                case CallSyntax { Callee: NameSyntax { Name: "uniform" } } call:
                {
                    var args = CallArguments.Match(call, Signature.Of("uniform", 2, "low", "high"), Diagnostics);
                    if (!args.IsValid) return null;
                    if (Number(args, "low") is not double lo || Number(args, "high") is not double hi) return null;
                    if (!(lo < hi))
                    {
                        Diagnostics.ReportUniformBounds(call.Span, lo, hi);
                        return null;
                    }
                    return Initializer.Uniform(lo, hi);
                }
                default:
                {
                    var name = syntax is NameSyntax n ? n.Name : syntax is CallSyntax { Callee: NameSyntax cn } ? cn.Name : TextOf(syntax.Span);
                    Diagnostics.ReportUnknownInitializer(syntax.Span, name, known);
                    return null;
                }
            }

            Initializer? CheckedStd(double std, CallSyntax call, double mean = 0)
            {
                if (std < 0)
                {
                    Diagnostics.ReportNegativeStandardDeviation(call.Span, std);
                    return null;
                }
                return Initializer.Normal(mean, std);
            }
        }

        // ---------------- argument readers (report and return null when the argument is unusable) ----------------

        /// <summary>A constant number: a literal, possibly negated or computed from literals.</summary>
        public double? Number(CallArguments args, string name, double? fallback = null)
        {
            var syntax = args[name];
            if (syntax is null) return fallback;
            var node = BindExpression(syntax);
            if (node is ErrorNode) return null;
            if (node is ConstantNode c) return c.Value;
            Diagnostics.ReportNumberArgumentIsTensor(syntax.Span, name, args.Signature.Function);
            return null;
        }

        /// <summary>A positive whole number (a size or a count).</summary>
        public int? Count(CallArguments args, string name, int minimum, int? fallback = null)
        {
            var syntax = args[name];
            if (syntax is null) return fallback;
            if (Number(args, name) is not double value) return null;
            if (value != System.Math.Floor(value) || value < System.Math.Max(1, minimum) || value > int.MaxValue)
            {
                Diagnostics.ReportNotACount(syntax.Span, name, args.Signature.Function, System.Math.Max(1, minimum), TextOf(syntax.Span));
                return null;
            }
            return (int)value;
        }

        public bool? Flag(CallArguments args, string name, bool fallback)
        {
            var syntax = args[name];
            if (syntax is null) return fallback;
            if (syntax is NameSyntax { Name: "true" }) return true;
            if (syntax is NameSyntax { Name: "false" }) return false;
            Diagnostics.ReportFlagArgument(syntax.Span, name, args.Signature.Function);
            return null;
        }

        /// <summary>A word from a fixed set, such as reduce: sum.</summary>
        public string? Word(CallArguments args, string name, string fallback, params string[] allowed)
        {
            var syntax = args[name];
            if (syntax is null) return fallback;
            if (syntax is NameSyntax word && allowed.Contains(word.Name)) return word.Name;
            Diagnostics.ReportWordArgument(syntax.Span, name, args.Signature.Function, allowed);
            return null;
        }

        /// <summary>An axis of x (negative counts from the end); null when absent or invalid (check args[name]).</summary>
        public int? Axis(CallArguments args, string name, Node x)
        {
            var syntax = args[name];
            if (syntax is null) return null;
            if (Number(args, name) is not double value) return null;
            if (value != System.Math.Floor(value) || System.Math.Abs(value) > int.MaxValue)
            {
                Diagnostics.ReportAxisNotWhole(syntax.Span, TextOf(syntax.Span));
                return null;
            }
            int axis = x.Shape.NormalizeAxis((int)value);
            if (axis < 0)
            {
                Diagnostics.ReportPermutationAxis(syntax.Span, TextOf(syntax.Span), x.Shape.ToString());
                return null;
            }
            return axis;
        }

        public Node Tensor(CallArguments args, string name) =>
            args[name] is ExpressionSyntax syntax ? BindExpression(syntax) : new ErrorNode(args.Call.Span);

        public string Text(SourceSpan span) => TextOf(span);
    }
}
