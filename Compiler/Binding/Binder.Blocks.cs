using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// User blocks: `layer res1 = ResBlock(16);` creates the block's layers (named res1.conv1, ...)
    /// with the arguments put in place of the block's parameters, and `res1(x)` binds the block's
    /// forward body in a scope of its own: its parameters, layers, lets and forward input.
    /// Errors found inside a block point at the block's line and name the instance.
    /// </summary>
    public sealed partial class Binder
    {
        private readonly IReadOnlyDictionary<string, BlockSyntax> _blocks;
        private readonly List<string> _blocksBeingCreated = new List<string>();

        /// <summary>
        /// How deep block instances may nest (a block whose layer is a block whose layer is ...).
        /// Instantiation recurses once per level, so the limit keeps the compiler's stack use
        /// bounded on any input; real networks nest a handful of levels.
        /// </summary>
        public const int MaxBlockDepth = 64;

        private Layer? CreateBlockLayer(string name, BlockSyntax block, CallSyntax call)
        {
            // Instantiation recurses through CreateLayer; BindModel turns a shortage into a located MC0002.
            RuntimeHelpers.EnsureSufficientExecutionStack();
            var signature = Signature.Of(block.Name, block.Parameters.Count, block.Parameters.Select(p => p.Name).ToArray());
            var args = CallArguments.Match(call, signature, Diagnostics);
            if (!args.IsValid) return null;
            if (_blocksBeingCreated.Count >= MaxBlockDepth)
            {
                Diagnostics.ReportBlocksTooDeep(call.Span, block.Name, MaxBlockDepth, _blocksBeingCreated[0]);
                return null;
            }
            if (_blocksBeingCreated.Contains(block.Name))
            {
                Diagnostics.ReportRecursiveBlock(call.Span, block.Name, _blocksBeingCreated.Concat(new[] { block.Name }));
                return null;
            }
            if (block.ForwardParameters.Count != 1)
            {
                Diagnostics.ReportBlockForwardParameters(block.NameSpan, block.Name, block.ForwardParameters.Count);
                return null;
            }
            // Instances multiply (a block of two instances of a block of two ...) before any of them
            // is called, so each one takes from the budget as it is made, not only its operations.
            _budget.TakeOperations(1);
            var arguments = block.Parameters.ToDictionary(p => p.Name, p => args[p.Name]!);
            var layer = new BlockLayer(name, NextDeclarationOrder(), block, arguments, call.Span.Line);

            int firstDiagnostic = Diagnostics.Items.Count;
            _blocksBeingCreated.Add(block.Name);
            try
            {
                CreateMembers(layer, block, name, arguments);
            }
            finally
            {
                _blocksBeingCreated.RemoveAt(_blocksBeingCreated.Count - 1);
            }
            Diagnostics.AddContext(firstDiagnostic, layer.Context);
            return layer.IsBroken ? null : layer;
        }

        private void CreateMembers(BlockLayer layer, BlockSyntax block, string name, IReadOnlyDictionary<string, ExpressionSyntax> arguments)
        {
            foreach (var statement in block.Statements)
            {
                switch (statement)
                {
                    case LayerSyntax inner:
                    {
                        var innerLayer = CreateLayer($"{name}.{inner.Name}", (CallSyntax)Substitute(inner.Constructor, arguments));
                        if (innerLayer is null) layer.IsBroken = true;
                        else if (!layer.AddMember(inner.Name, innerLayer, null)) ReportDuplicateMember(block, inner.Name, inner.NameSpan);
                        break;
                    }
                    case ParamSyntax param:
                    {
                        var (shape, _) = BindType(param.Type, allowInteger: false);
                        if (shape is null) { layer.IsBroken = true; break; }
                        int fanIn = shape.Rank >= 2 ? shape.Size / shape[0] : shape.Size;
                        int fanOut = shape.Rank >= 2 ? shape[0] : shape.Size;
                        var init = param.Initializer is null ? Initializer.Zeros : BindInitializer(Substitute(param.Initializer, arguments)) ?? Initializer.Zeros;
                        var node = CreateParameter($"{name}.{param.Name}", shape, init, fanIn, fanOut, param.NameSpan, NextDeclarationOrder(), 0);
                        if (!layer.AddMember(param.Name, null, node)) ReportDuplicateMember(block, param.Name, param.NameSpan);
                        break;
                    }
                }
            }
        }

        private void ReportDuplicateMember(BlockSyntax block, string member, SourceSpan span) =>
            Diagnostics.ReportDuplicateBlockMember(span, member, block.Name);

        /// <summary>Binds the block's forward body on x; the result, or an error node after reporting.</summary>
        internal Node ApplyBlock(BlockLayer layer, Node x)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            var block = layer.Syntax;
            var savedScope = _scope;
            var savedDeclarations = _declarations;
            var (savedStatement, savedText) = (_statement, _statementText);
            int firstDiagnostic = Diagnostics.Items.Count;
            _scope = new Dictionary<string, Symbol>();
            _declarations = new Dictionary<string, (int, SourceSpan)>();
            Node? result = null;
            try
            {
                foreach (var (member, value) in layer.Members)
                    _scope[member] = value.Layer is Layer inner
                        ? new LayerSymbol(member, inner, block.NameSpan, -1)
                        : new ValueSymbol(member, value.Parameter!, block.NameSpan, -1);
                var input = block.ForwardParameters[0];
                _scope[input.Name] = new ValueSymbol(input.Name, x, input.Span, -1);
                for (int i = 0; i < block.ForwardBody.Count; i++)
                    if (block.ForwardBody[i] is LetSyntax declared && !_declarations.ContainsKey(declared.Name))
                        _declarations[declared.Name] = (i, declared.NameSpan);

                for (int i = 0; i < block.ForwardBody.Count && result is null; i++)
                {
                    var statement = block.ForwardBody[i];
                    _statement = i;
                    _statementText = TextOf(statement.Span);
                    switch (statement)
                    {
                        case LetSyntax let:
                        {
                            var node = BindExpression(Substitute(let.Value, layer.Arguments));
                            if (node.Name is null && node is not DataNode && node is not ParameterNode) node.Name = $"{layer.Name}.{let.Name}";
                            Declare(new ValueSymbol(let.Name, node, let.NameSpan, i));
                            break;
                        }
                        case ReturnSyntax ret:
                            result = BindExpression(Substitute(ret.Value, layer.Arguments));
                            break;
                    }
                }
                if (result is null)
                {
                    Diagnostics.ReportBlockWithoutReturn(block.NameSpan, block.Name);
                    result = new ErrorNode(block.NameSpan);
                }
            }
            finally
            {
                _scope = savedScope;
                _declarations = savedDeclarations;
                (_statement, _statementText) = (savedStatement, savedText);
            }
            Diagnostics.AddContext(firstDiagnostic, layer.Context);
            return result;
        }

        /// <summary>The expression with every name of a block parameter replaced by the argument given for it.</summary>
        private static ExpressionSyntax Substitute(ExpressionSyntax e, IReadOnlyDictionary<string, ExpressionSyntax> arguments)
        {
            if (arguments.Count == 0) return e;
            // Arguments are substituted into arguments, so the trees grow with the nesting of blocks.
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (e)
            {
                case NameSyntax name:
                    return arguments.TryGetValue(name.Name, out var value) ? value : e;
                case BinarySyntax b:
                    return b with { Left = Substitute(b.Left, arguments), Right = Substitute(b.Right, arguments) };
                case UnarySyntax u:
                    return u with { Operand = Substitute(u.Operand, arguments) };
                case CallSyntax call:
                    // The callee is a function or layer name, never a parameter.
                    return call with { Arguments = call.Arguments.Select(a => a with { Value = Substitute(a.Value, arguments) }).ToArray() };
                case MemberSyntax member:
                    return member with { Target = Substitute(member.Target, arguments) };
                case IndexSyntax index:
                    return index with { Target = Substitute(index.Target, arguments), Index = Substitute(index.Index, arguments) };
                case ListSyntax list:
                    return list with { Items = list.Items.Select(i => Substitute(i, arguments)).ToArray() };
                default:
                    return e;
            }
        }
    }

    /// <summary>
    /// An instance of a user block: its layers and params (named instance.member), the arguments
    /// that replace the block's parameters, and the forward body bound on each call.
    /// </summary>
    public sealed class BlockLayer : Layer
    {
        private readonly List<(string Name, Layer? Layer, ParameterNode? Parameter)> _members = new List<(string, Layer?, ParameterNode?)>();

        public BlockLayer(string name, int order, BlockSyntax syntax, IReadOnlyDictionary<string, ExpressionSyntax> arguments, int declarationLine)
            : base(name, syntax.Name, order)
        {
            Syntax = syntax;
            Arguments = arguments;
            Context = $"(in '{name}', an instance of block {syntax.Name} declared at line {declarationLine})";
        }

        public BlockSyntax Syntax { get; }
        public IReadOnlyDictionary<string, ExpressionSyntax> Arguments { get; }
        /// <summary>Appended to messages about the block's insides, so the user knows which instance.</summary>
        public string Context { get; }
        internal bool IsBroken { get; set; }
        public IEnumerable<(string Name, (Layer? Layer, ParameterNode? Parameter) Value)> Members => _members.Select(m => (m.Name, (m.Layer, m.Parameter)));

        internal bool AddMember(string name, Layer? layer, ParameterNode? parameter)
        {
            if (_members.Any(m => m.Name == name)) return false;
            _members.Add((name, layer, parameter));
            return true;
        }

        /// <summary>A block's body is bound anew on every call, for that call's input, so it makes its own checks.</summary>
        public override Node Apply(Binder binder, Node x, string inputText, SourceSpan span)
        {
            var result = Lower(binder, x, span);
            if (result is ErrorNode) { MarkAttempted(); return result; }
            IsUsed = true;
            FirstInputShape ??= x.Shape;
            OutputShape ??= result.Shape;
            // Every parameter the instance owns, in declaration order: its params and its layers' (nested blocks included).
            Parameters.Clear();
            foreach (var (_, layer, parameter) in _members)
            {
                if (parameter is not null) Parameters.Add(parameter);
                else Parameters.AddRange(layer!.Parameters);
            }
            return result;
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span) => binder.ApplyBlock(this, x);
    }
}
