using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>What a name in a model's scope refers to. Order is the statement index, for use-before-definition checks.</summary>
    public abstract record Symbol(string Name, SourceSpan Span, int Order);

    /// <summary>An input, target, let, output or param: something with a value.</summary>
    public sealed record ValueSymbol(string Name, Node Node, SourceSpan Span, int Order) : Symbol(Name, Span, Order);

    /// <summary>A declaration that failed (already reported): every use of it stays silent.</summary>
    public sealed record ErrorSymbol(string Name, SourceSpan Span, int Order) : Symbol(Name, Span, Order);

    public sealed record LayerSymbol(string Name, Layer Layer, SourceSpan Span, int Order) : Symbol(Name, Span, Order);
}
