using System.Collections.Generic;

namespace ModelC.Dsl.Syntax
{
    // The syntax tree: what was written, with where it was written. It holds no ANTLR objects,
    // so everything after Dsl works on these records alone.

    public abstract record SyntaxNode(SourceSpan Span);

    /// <summary>A whole .model file. A file may hold several blocks and models.</summary>
    public sealed record ModelFileSyntax(
        string? Namespace,
        SourceSpan NamespaceSpan,
        IReadOnlyList<BlockSyntax> Blocks,
        IReadOnlyList<ModelSyntax> Models,
        SourceSpan Span) : SyntaxNode(Span);

    public sealed record ModelSyntax(string Name, SourceSpan NameSpan, IReadOnlyList<StatementSyntax> Statements, SourceSpan Span)
        : SyntaxNode(Span);

    /// <summary><c>block Name(p1, p2) { layer ...; forward(x) { let ...; return e; } }</c></summary>
    public sealed record BlockSyntax(
        string Name,
        SourceSpan NameSpan,
        IReadOnlyList<IdentifierSyntax> Parameters,
        IReadOnlyList<StatementSyntax> Statements,     // layer and param declarations
        IReadOnlyList<IdentifierSyntax> ForwardParameters,
        IReadOnlyList<StatementSyntax> ForwardBody,    // let statements and one return
        SourceSpan Span) : SyntaxNode(Span);

    public sealed record IdentifierSyntax(string Name, SourceSpan Span) : SyntaxNode(Span);

    // ---- statements ----

    public abstract record StatementSyntax(SourceSpan Span) : SyntaxNode(Span);

    /// <summary><c>input x : float[784];</c></summary>
    public sealed record InputSyntax(string Name, SourceSpan NameSpan, TypeSyntax Type, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>target y : int&lt;10&gt;;</c></summary>
    public sealed record TargetSyntax(string Name, SourceSpan NameSpan, TypeSyntax Type, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>layer fc1 = dense(128);</c> — Constructor is the call on the right.</summary>
    public sealed record LayerSyntax(string Name, SourceSpan NameSpan, CallSyntax Constructor, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>param U : float[943, 16] = normal(0, 0.1);</c> — Initializer may be absent.</summary>
    public sealed record ParamSyntax(string Name, SourceSpan NameSpan, TypeSyntax Type, ExpressionSyntax? Initializer, SourceSpan Span)
        : StatementSyntax(Span);

    /// <summary><c>let h = relu(fc1(x));</c></summary>
    public sealed record LetSyntax(string Name, SourceSpan NameSpan, ExpressionSyntax Value, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>output logits = out(h2);</c></summary>
    public sealed record OutputSyntax(string Name, SourceSpan NameSpan, ExpressionSyntax Value, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>loss = cross_entropy(logits, y);</c></summary>
    public sealed record LossSyntax(ExpressionSyntax Value, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>return e;</c> inside a block's forward.</summary>
    public sealed record ReturnSyntax(ExpressionSyntax Value, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>train { optimizer = adam(lr: 1e-3); early_stopping(patience: 3); }</c></summary>
    public sealed record TrainSyntax(IReadOnlyList<TrainSettingSyntax> Settings, SourceSpan Span) : StatementSyntax(Span);

    /// <summary>
    /// One setting of a train block: either <c>name = value;</c> (Value set) or a bare call
    /// such as <c>early_stopping(patience: 3);</c> (Value is the call, IsCall true).
    /// </summary>
    public sealed record TrainSettingSyntax(string Name, SourceSpan NameSpan, ExpressionSyntax Value, bool IsCall, SourceSpan Span)
        : SyntaxNode(Span);

    // ---- types ----

    public abstract record TypeSyntax(SourceSpan Span) : SyntaxNode(Span);

    /// <summary><c>float[d1, d2]</c>; <c>float</c> alone (no brackets) is a scalar, Dimensions empty.</summary>
    public sealed record FloatTypeSyntax(IReadOnlyList<DimensionSyntax> Dimensions, SourceSpan Span) : TypeSyntax(Span);

    /// <summary><c>int&lt;N&gt;</c> or <c>int&lt;N&gt;[T]</c>.</summary>
    public sealed record IntTypeSyntax(DimensionSyntax Classes, IReadOnlyList<DimensionSyntax> Dimensions, SourceSpan Span) : TypeSyntax(Span);

    /// <summary>
    /// A dimension as written: an integer literal. Value holds it when it fits a long; Text keeps
    /// what was written so a too-large value can be reported.
    /// </summary>
    public sealed record DimensionSyntax(string Text, long? Value, SourceSpan Span) : SyntaxNode(Span);

    /// <summary>Stands in for a type that could not be parsed; a diagnostic was already reported.</summary>
    public sealed record ErrorTypeSyntax(SourceSpan Span) : TypeSyntax(Span);

    // ---- expressions ----

    public abstract record ExpressionSyntax(SourceSpan Span) : SyntaxNode(Span);

    /// <summary>A number literal: <c>3</c>, <c>0.2</c>, <c>1e-4</c>. IsInteger when written without '.', 'e' or 'E'.</summary>
    public sealed record NumberSyntax(double Value, string Text, bool IsInteger, SourceSpan Span) : ExpressionSyntax(Span);

    /// <summary>A name: a variable, a layer, an input, a function name used as a value (<c>he</c>, <c>same</c>, <c>params</c>).</summary>
    public sealed record NameSyntax(string Name, SourceSpan Span) : ExpressionSyntax(Span);

    public enum BinaryOperator { Add, Subtract, Multiply, Divide, MatMul }

    public sealed record BinarySyntax(BinaryOperator Operator, ExpressionSyntax Left, ExpressionSyntax Right, SourceSpan OperatorSpan, SourceSpan Span)
        : ExpressionSyntax(Span);

    public enum UnaryOperator { Negate, Plus }

    public sealed record UnarySyntax(UnaryOperator Operator, ExpressionSyntax Operand, SourceSpan Span) : ExpressionSyntax(Span);

    /// <summary><c>f(a, b, name: c)</c>. Callee is a NameSyntax (a function or a layer) or a MemberSyntax (<c>block.layer</c>).</summary>
    public sealed record CallSyntax(ExpressionSyntax Callee, IReadOnlyList<ArgumentSyntax> Arguments, SourceSpan Span) : ExpressionSyntax(Span);

    /// <summary>A call argument; Name is set for <c>name: value</c>.</summary>
    public sealed record ArgumentSyntax(string? Name, SourceSpan NameSpan, ExpressionSyntax Value, SourceSpan Span) : SyntaxNode(Span);

    /// <summary><c>fc1.weight</c></summary>
    public sealed record MemberSyntax(ExpressionSyntax Target, string Member, SourceSpan MemberSpan, SourceSpan Span) : ExpressionSyntax(Span);

    /// <summary><c>U[u]</c>, <c>seq[t]</c></summary>
    public sealed record IndexSyntax(ExpressionSyntax Target, ExpressionSyntax Index, SourceSpan Span) : ExpressionSyntax(Span);

    /// <summary><c>[28, 28]</c> — a list literal, used for shapes as in <c>reshape(x, [7, 7])</c>.</summary>
    public sealed record ListSyntax(IReadOnlyList<ExpressionSyntax> Items, SourceSpan Span) : ExpressionSyntax(Span);

    /// <summary>Stands in for an expression that could not be parsed; a diagnostic was already reported.</summary>
    public sealed record ErrorExpressionSyntax(SourceSpan Span) : ExpressionSyntax(Span);
}
