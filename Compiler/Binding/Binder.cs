using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// Gives a model's syntax its meaning: resolves names, creates layers and parameters, infers
    /// every shape and lowers expressions to IR nodes. One mistake gives one message: a failed
    /// expression becomes an ErrorNode, and nodes built on error nodes report nothing more.
    /// </summary>
    public sealed partial class Binder
    {
        // Swapped while a block's forward body is bound (see Binder.Blocks.cs).
        private Dictionary<string, Symbol> _scope = new Dictionary<string, Symbol>();
        private readonly List<Layer> _layers = new List<Layer>();
        private readonly Dictionary<ParameterNode, (int Order, int Index)> _parameterOrder = new Dictionary<ParameterNode, (int, int)>();
        private readonly Dictionary<BufferNode, (int Order, int Index)> _bufferOrder = new Dictionary<BufferNode, (int, int)>();
        private readonly string _text;
        private Dictionary<string, (int Order, SourceSpan Span)> _declarations = new Dictionary<string, (int, SourceSpan)>();
        /// <summary>Counts layer and param declarations depth-first (a block's layers right after their instance), for the parameter order.</summary>
        private int _declarationOrder;
        private int NextDeclarationOrder() => _declarationOrder++;
        private int _statement;
        private bool _stackExhausted;
        private string? _statementText;

        private readonly CompileBudget _budget;

        private Binder(ModelGraph graph, DiagnosticBag diagnostics, string text, IReadOnlyDictionary<string, BlockSyntax> blocks, CompileBudget budget)
        {
            _blocks = blocks;
            Graph = graph;
            Diagnostics = diagnostics;
            _text = text;
            _budget = budget;
        }

        public ModelGraph Graph { get; }
        public DiagnosticBag Diagnostics { get; }

        /// <param name="blocks">The file's blocks by name (the first of a duplicated name).</param>
        /// <param name="budget">The file's operation budget, shared by its models.</param>
        public static ModelGraph Bind(ModelSyntax model, string? @namespace, string fileName, string text, DiagnosticBag diagnostics, CancellationToken cancellationToken,
            IReadOnlyDictionary<string, BlockSyntax>? blocks = null, CompileBudget? budget = null)
        {
            var binder = new Binder(new ModelGraph(model.Name, @namespace, fileName) { SourceText = text }, diagnostics, text,
                blocks ?? new Dictionary<string, BlockSyntax>(), budget ?? new CompileBudget());
            binder.BindModel(model, cancellationToken);
            return binder.Graph;
        }

        private void BindModel(ModelSyntax model, CancellationToken cancellationToken)
        {
            // The loss is bound last so that `params` in a regularizer sees every layer's parameters;
            // use-before-definition is still checked against the loss's own position.
            LossSyntax? loss = null;
            int lossOrder = 0;
            CollectDeclarations(model);
            for (int i = 0; i < model.Statements.Count && !_budget.OperationsExhausted; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var statement = model.Statements[i];
                _statement = i;
                _statementText = TextOf(statement.Span);
                switch (statement)
                {
                    case LossSyntax l when loss is not null:
                        Diagnostics.ReportDuplicateLoss(l.Span, model.Name);
                        break;
                    case LossSyntax l:
                        loss = l;
                        lossOrder = i;
                        break;
                    default:
                        Guarded(statement.Span, () => BindStatement(statement));
                        break;
                }
            }

            if (loss is not null && !_budget.OperationsExhausted)
            {
                _statement = lossOrder;
                _statementText = TextOf(loss.Span);
                Guarded(loss.Span, () => BindLoss(loss));
                CheckPaddingLabels();
            }

            if (!model.Statements.Any(s => s is InputSyntax))
                Diagnostics.ReportNoInput(model.NameSpan, model.Name);
            else if (!model.Statements.Any(s => s is OutputSyntax || s is LossSyntax))
                Diagnostics.ReportNoOutputOrLoss(model.NameSpan, model.Name);

            var called = CalledNames.In(model);
            foreach (var layer in _layers.Where(l => !l.IsUsed && !l.IsAttempted && !called.Contains(l.Name)))
                Diagnostics.ReportUnusedLayer(((LayerSymbol)_scope[layer.Name]).Span, layer.Name);

            Graph.Parameters.AddRange(AllParameters);
            Graph.Buffers.AddRange(_bufferOrder.OrderBy(p => p.Value.Order).ThenBy(p => p.Value.Index).Select(p => p.Key));
            foreach (var layer in _layers)
                Graph.Layers.Add(new LayerInfo(layer.Name, layer.Kind, layer.OutputShape, layer.Parameters.ToArray()));

            long total = 0;
            foreach (var p in Graph.Parameters) total = Sizes.Sum(total, p.Shape.ElementCount);
            // A parameter that is itself too large is already reported at its layer.
            if (!Sizes.Fits(total) && Graph.Parameters.All(p => p.Shape.Fits))
                Diagnostics.ReportTooManyParameters(model.NameSpan, model.Name, total);
        }

        /// <summary>
        /// Binds one statement. Binding recurses through expressions and nested blocks, whose
        /// depth the substitution of block arguments can multiply; every recursive step checks the
        /// stack, and a statement that would exhaust it is refused here, at its own line. So is the
        /// statement whose operations would pass the file's budget; binding stops there.
        /// </summary>
        private void Guarded(SourceSpan statement, System.Action bind)
        {
            try
            {
                bind();
            }
            catch (InsufficientExecutionStackException)
            {
                if (!_stackExhausted)
                    Diagnostics.ReportStatementTooDeep(statement);
                _stackExhausted = true;
            }
            catch (CompileBudgetExceededException)
            {
                Diagnostics.ReportOperationBudget(statement);
            }
        }

        /// <summary>Every name the model declares, so that a use before the declaration is reported as such.</summary>
        private void CollectDeclarations(ModelSyntax model)
        {
            for (int i = 0; i < model.Statements.Count; i++)
            {
                var (name, span) = model.Statements[i] switch
                {
                    InputSyntax s => (s.Name, s.NameSpan),
                    TargetSyntax s => (s.Name, s.NameSpan),
                    LayerSyntax s => (s.Name, s.NameSpan),
                    ParamSyntax s => (s.Name, s.NameSpan),
                    LetSyntax s => (s.Name, s.NameSpan),
                    OutputSyntax s => (s.Name, s.NameSpan),
                    _ => ((string?)null, default(SourceSpan)),
                };
                if (name is not null && !_declarations.ContainsKey(name)) _declarations[name] = (i, span);
            }
        }

        internal string TextOf(SourceSpan span)
        {
            if (span.Start < 0 || span.End > _text.Length) return "";
            var raw = _text.Substring(span.Start, span.Length);
            return string.Join(" ", raw.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
        }

        /// <summary>Registers a node of the graph (creation order is topological order).</summary>
        public Node Add(Node node)
        {
            if (node is ErrorNode) return node;
            if (!FitsInArrays(node.Shape, node.Span)) return new ErrorNode(node.Span);
            if (!Sizes.Fits(node.ScratchSize))
            {
                Diagnostics.ReportScratchTooLarge(node.Span, node.Describe(), node.ScratchSize);
                return new ErrorNode(node.Span);
            }
            _budget.TakeOperations(CompileBudget.CostOf(node));
            node.SourceText = _statementText;
            Graph.Nodes.Add(node);
            return node;
        }

        /// <summary>
        /// Every shape the binder makes passes here (nodes, parameters, buffers): a tensor must fit in
        /// one array, and the size is counted in long, so a product past int's range is reported at
        /// its statement instead of wrapping into a negative constant in the generated code.
        /// </summary>
        private bool FitsInArrays(Shape shape, SourceSpan span, string? name = null)
        {
            if (shape.Fits) return true;
            Diagnostics.ReportTensorTooLarge(span, name, shape);
            return false;
        }

        /// <summary>A parameter of the shape; reports MC1023 (once, at the call) when the shape cannot be one array.</summary>
        public ParameterNode CreateParameter(string name, Shape shape, Initializer init, int fanIn, int fanOut, SourceSpan span, int order, int index)
        {
            FitsInArrays(shape, span, name);
            var parameter = new ParameterNode(name, shape, init, fanIn, fanOut, span);
            parameter.SourceText = _statementText;
            _parameterOrder[parameter] = (order, index);
            return parameter;
        }

        /// <summary>A buffer (running statistics) laid out like parameters: by declaration, then by index within the layer.</summary>
        public BufferNode CreateBuffer(string name, Shape shape, float initialValue, SourceSpan span, int order, int index)
        {
            FitsInArrays(shape, span, name);
            var buffer = new BufferNode(name, shape, initialValue, span) { SourceText = _statementText };
            _bufferOrder[buffer] = (order, index);
            return buffer;
        }

        // ---------------- statements ----------------

        private void BindStatement(StatementSyntax statement)
        {
            switch (statement)
            {
                case InputSyntax input:
                    BindData(input.Name, input.NameSpan, input.Type, DataRole.Input, input.Span);
                    break;
                case TargetSyntax target:
                    BindData(target.Name, target.NameSpan, target.Type, DataRole.Target, target.Span);
                    break;
                case LayerSyntax layer:
                    BindLayer(layer);
                    break;
                case ParamSyntax param:
                    BindParam(param);
                    break;
                case LetSyntax let:
                {
                    var node = BindExpression(let.Value);
                    if (node.Name is null && node is not DataNode && node is not ParameterNode) node.Name = let.Name;
                    Declare(new ValueSymbol(let.Name, node, let.NameSpan, _statement));
                    break;
                }
                case OutputSyntax output:
                    BindOutput(output);
                    break;
                case TrainSyntax train:
                    new TrainBinder(Graph.Train, Diagnostics, this).Bind(train);
                    break;
            }
        }

        private bool Declare(Symbol symbol)
        {
            if (_scope.TryGetValue(symbol.Name, out var existing))
            {
                Diagnostics.ReportDuplicateName(symbol.Span, symbol.Name, existing.Span.Line);
                return false;
            }
            _scope[symbol.Name] = symbol;
            return true;
        }

        private void BindData(string name, SourceSpan nameSpan, TypeSyntax type, DataRole role, SourceSpan span)
        {
            var (shape, classes) = BindType(type, allowInteger: true);
            if (shape is null) { Declare(new ErrorSymbol(name, nameSpan, _statement)); return; }
            var node = new DataNode(name, role, shape, classes, nameSpan) { SourceText = _statementText };
            Graph.Nodes.Add(node);
            (role == DataRole.Input ? Graph.Inputs : Graph.Targets).Add(node);
            Declare(new ValueSymbol(name, node, nameSpan, _statement));
        }

        /// <summary>A declared type: its per-example shape and, for int&lt;N&gt;, N (0 for float). Null shape after an error.</summary>
        private (Shape? Shape, int Classes) BindType(TypeSyntax type, bool allowInteger)
        {
            switch (type)
            {
                case FloatTypeSyntax f:
                {
                    var dims = BindDimensions(f.Dimensions);
                    return dims is null ? (null, 0) : (new Shape(dims), 0);
                }
                case IntTypeSyntax i:
                {
                    if (!allowInteger)
                    {
                        Diagnostics.ReportIntegerParameter(i.Span);
                        return (null, 0);
                    }
                    var classes = BindDimensions(new[] { i.Classes });
                    if (classes is null) return (null, 0);
                    // int<N>[T]: a sequence of class ids, one per step.
                    var steps = BindDimensions(i.Dimensions);
                    return steps is null ? (null, 0) : (new Shape(steps), classes[0]);
                }
                default:
                    return (null, 0);
            }
        }

        private int[]? BindDimensions(IReadOnlyList<DimensionSyntax> dimensions)
        {
            var dims = new int[dimensions.Count];
            for (int k = 0; k < dims.Length; k++)
            {
                var d = dimensions[k];
                if (d.Value is not long v || v <= 0 || v > int.MaxValue)
                {
                    Diagnostics.ReportDimension(d.Span, d.Text);
                    return null;
                }
                dims[k] = (int)v;
            }
            var shape = new Shape(dims);
            if (!shape.Fits && !FitsInArrays(shape, dimensions[0].Span.Cover(dimensions[dimensions.Count - 1].Span))) return null;
            return dims;
        }

        private void BindParam(ParamSyntax param)
        {
            var (shape, _) = BindType(param.Type, allowInteger: false);
            if (shape is null) { Declare(new ErrorSymbol(param.Name, param.NameSpan, _statement)); return; }
            int fanIn = shape.Rank >= 2 ? shape.Size / shape[0] : shape.Size;
            int fanOut = shape.Rank >= 2 ? shape[0] : shape.Size;
            var init = param.Initializer is null ? Initializer.Zeros : BindInitializer(param.Initializer) ?? Initializer.Zeros;
            var node = CreateParameter(param.Name, shape, init, fanIn, fanOut, param.NameSpan, NextDeclarationOrder(), 0);
            Declare(new ValueSymbol(param.Name, node, param.NameSpan, _statement));
        }

        private void BindOutput(OutputSyntax output)
        {
            var node = BindExpression(output.Value);
            Declare(new ValueSymbol(output.Name, node, output.NameSpan, _statement));
            if (node is ErrorNode) return;
            if (node is DataNode { IsInteger: true } || node.Storage == StorageKind.Int)
            {
                Diagnostics.ReportOutputHoldsClassIds(output.Value.Span, output.Name);
                return;
            }
            if (DependsOnTarget(node) is DataNode target)
            {
                Diagnostics.ReportOutputDependsOnTarget(output.Value.Span, output.Name, target.Name);
                return;
            }
            if (!node.IsBatched)
            {
                Diagnostics.ReportOutputNotPerExample(output.Value.Span, output.Name);
                return;
            }
            if (Graph.Outputs.Any(o => o.Node == node) || node is DataNode)
            {
                // Two outputs (or an output and an input) sharing one node would share storage: give this one its own copy.
                node = Add(new ReshapeNode(node, node.Shape, output.Value.Span));
            }
            node.Name = output.Name;
            Graph.Outputs.Add(new OutputValue(output.Name, node, output.NameSpan));
        }

        private void BindLoss(LossSyntax loss)
        {
            var node = BindExpression(loss.Value);
            if (node is ErrorNode) return;
            if (node.Shape.Rank != 0)
            {
                Diagnostics.ReportLossNotScalar(loss.Value.Span, node.Shape);
                return;
            }
            if (node is ConstantNode)
            {
                Diagnostics.ReportConstantLoss(loss.Value.Span);
                return;
            }
            Graph.Loss = node.IsBatched ? Add(new BatchMeanNode(node, loss.Span)) : node;
        }

        /// <summary>
        /// Data that a loss reads with ignore_index outside its classes (padding such as -1) may hold
        /// that value, so nothing else may read it as a class id: an embedding or a gather would index
        /// outside its table.
        /// </summary>
        private void CheckPaddingLabels()
        {
            foreach (var loss in Graph.Nodes.OfType<ClassLossNode>().Where(n => n.IgnoresNonClass).ToList())
            {
                var data = loss.Target;
                var other = Graph.Nodes.FirstOrDefault(n => n != loss && n.Inputs.Contains(data)
                    && !(n is ClassLossNode same && same.IgnoreIndex == loss.IgnoreIndex));
                if (other is null) continue;
                Diagnostics.ReportPaddingLabelReused(other.Span, data.Name, loss.IgnoreIndex, loss.Span.Line, data.Classes);
                return;
            }
        }

        private static Node? DependsOnTarget(Node node)
        {
            var seen = new HashSet<Node>();
            var stack = new Stack<Node>();
            stack.Push(node);
            while (stack.Count > 0)
            {
                var n = stack.Pop();
                if (!seen.Add(n)) continue;
                if (n is DataNode { Role: DataRole.Target }) return n;
                foreach (var input in n.Inputs) stack.Push(input);
            }
            return null;
        }

        // ---------------- names ----------------

        /// <summary>Looks a name up, reporting unknown names and use before definition.</summary>
        private Symbol? Lookup(string name, SourceSpan span, bool asFunction = false)
        {
            if (_scope.TryGetValue(name, out var symbol))
            {
                if (symbol.Order > _statement)
                {
                    Diagnostics.ReportUsedBeforeDefinition(span, name, symbol.Span.Line);
                    return null;
                }
                return symbol;
            }
            if (_declarations.TryGetValue(name, out var later) && later.Order > _statement)
            {
                Diagnostics.ReportUsedBeforeDefinition(span, name, later.Span.Line);
                return null;
            }
            var candidates = _scope.Keys.Where(k => _scope[k].Order <= _statement);
            if (asFunction)
                Diagnostics.ReportUnknownFunction(span, name, candidates.Concat(Builtins.Names));
            else
                Diagnostics.ReportUnknownName(span, name, candidates);
            return null;
        }

        public IEnumerable<ParameterNode> AllParameters => _parameterOrder.OrderBy(p => p.Value.Order).ThenBy(p => p.Value.Index).Select(p => p.Key);
    }
}
