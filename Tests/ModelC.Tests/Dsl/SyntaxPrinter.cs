using System;
using System.Linq;
using ModelC.Dsl.Syntax;

namespace ModelC.Tests.Dsl
{
    /// <summary>Writes an expression tree as a fully parenthesized prefix form, so a test can state a tree's shape in one line.</summary>
    internal static class SyntaxPrinter
    {
        public static string Print(ExpressionSyntax expression) => expression switch
        {
            NumberSyntax number => number.Text,
            NameSyntax name => name.Name,
            BinarySyntax binary => $"({Symbol(binary.Operator)} {Print(binary.Left)} {Print(binary.Right)})",
            UnarySyntax unary => $"({(unary.Operator == UnaryOperator.Negate ? "neg" : "pos")} {Print(unary.Operand)})",
            CallSyntax call => $"(call {Print(call.Callee)}{string.Concat(call.Arguments.Select(argument => " " + Print(argument)))})",
            MemberSyntax member => $"(. {Print(member.Target)} {member.Member})",
            IndexSyntax index => $"(index {Print(index.Target)} {Print(index.Index)})",
            ListSyntax list => $"[{string.Join(" ", list.Items.Select(Print))}]",
            ErrorExpressionSyntax => "<error>",
            _ => throw new ArgumentOutOfRangeException(nameof(expression), expression.GetType().Name, "unknown expression record"),
        };

        private static string Print(ArgumentSyntax argument) =>
            argument.Name == null ? Print(argument.Value) : $"{argument.Name}:{Print(argument.Value)}";

        private static string Symbol(BinaryOperator op) => op switch
        {
            BinaryOperator.Add => "+",
            BinaryOperator.Subtract => "-",
            BinaryOperator.Multiply => "*",
            BinaryOperator.Divide => "/",
            BinaryOperator.MatMul => "@",
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
        };
    }
}
