using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Antlr4.Runtime;
using ModelC.Dsl.Grammar;
using ModelC.Dsl.Syntax;
using static ModelC.Dsl.Grammar.ModelCParser;

namespace ModelC.Dsl.Parsing
{
    // Expressions. Every step down the tree counts one level; past MaxNestingDepth the subtree becomes
    // an ErrorExpressionSyntax, so the builder and every later pass over the records stay within a
    // bounded recursion depth. Left-deep chains (`a + b + ... + z`, `f(x)(y)...`) are why this is
    // needed beyond the pre-scan: ANTLR builds them in a loop, without nesting any brackets.
    internal sealed partial class SyntaxTreeBuilder
    {
        private bool nestingReportedInStatement;

        private void BeginStatement() => nestingReportedInStatement = false;

        private ExpressionSyntax TopExpression(ExpressionContext? expression, ParserRuleContext statement) =>
            expression == null ? new ErrorExpressionSyntax(MissingAtEndOf(statement)) : Expression(expression, 0);

        private ExpressionSyntax Expression(ExpressionContext expression, int depth)
        {
            var span = source.Of(expression);
            if (depth > SyntaxErrorCodes.MaxNestingDepth)
            {
                ReportTooDeep(span);
                return new ErrorExpressionSyntax(span);
            }

            switch (expression)
            {
                case NumberExpressionContext number:
                    return Number(number, span);

                case NameExpressionContext name:
                {
                    var (text, _) = Name(name.identifier());
                    return text.Length > 0 ? new NameSyntax(text, span) : new ErrorExpressionSyntax(span);
                }

                case ParenthesizedExpressionContext parenthesized:
                    return Operand(parenthesized.expression(), depth, span);

                case ListExpressionContext list:
                    return new ListSyntax(list.expression().Select(item => Expression(item, depth + 1)).ToArray(), span);

                case UnaryExpressionContext unary:
                {
                    var op = unary.op?.Type == ModelCParser.MINUS ? UnaryOperator.Negate : UnaryOperator.Plus;
                    return new UnarySyntax(op, Operand(unary.expression(), depth, span), span);
                }

                case MultiplicativeExpressionContext multiplicative:
                    return Binary(multiplicative.op, multiplicative.expression(), depth, span);

                case AdditiveExpressionContext additive:
                    return Binary(additive.op, additive.expression(), depth, span);

                case CallExpressionContext call:
                    return Call(call, depth, span);

                case MemberExpressionContext member:
                {
                    var target = Operand(member.expression(), depth, span);
                    var (name, nameSpan) = Name(member.identifier());
                    return name.Length > 0 ? new MemberSyntax(target, name, nameSpan, span) : new ErrorExpressionSyntax(span);
                }

                case IndexExpressionContext index:
                {
                    var operands = index.expression();
                    var target = Operand(operands.ElementAtOrDefault(0), depth, span);
                    var position = Operand(operands.ElementAtOrDefault(1), depth, span);
                    return new IndexSyntax(target, position, span);
                }

                default:
                    return new ErrorExpressionSyntax(span);
            }
        }

        /// <summary>A child one level down; a child the parser could not build stands at the end of its parent.</summary>
        private ExpressionSyntax Operand(ExpressionContext? operand, int parentDepth, SourceSpan parentSpan) =>
            operand == null ? new ErrorExpressionSyntax(source.At(parentSpan.End)) : Expression(operand, parentDepth + 1);

        private ExpressionSyntax Binary(IToken? op, ExpressionContext[] operands, int depth, SourceSpan span)
        {
            var left = Operand(operands.ElementAtOrDefault(0), depth, span);
            var right = Operand(operands.ElementAtOrDefault(1), depth, span);
            if (op == null)
            {
                return new ErrorExpressionSyntax(span);
            }

            return new BinarySyntax(BinaryOperatorOf(op.Type), left, right, source.Of(op), span);
        }

        private static BinaryOperator BinaryOperatorOf(int tokenType)
        {
            switch (tokenType)
            {
                case ModelCParser.PLUS: return BinaryOperator.Add;
                case ModelCParser.MINUS: return BinaryOperator.Subtract;
                case ModelCParser.STAR: return BinaryOperator.Multiply;
                case ModelCParser.SLASH: return BinaryOperator.Divide;
                case ModelCParser.AT: return BinaryOperator.MatMul;
                default: throw new ArgumentOutOfRangeException(nameof(tokenType), tokenType, "not a binary operator token");
            }
        }

        private ExpressionSyntax Call(CallExpressionContext call, int depth, SourceSpan span)
        {
            var callee = Operand(call.expression(), depth, span);
            if (!(callee is NameSyntax || callee is MemberSyntax || callee is ErrorExpressionSyntax))
            {
                diagnostics.Report(
                    SyntaxErrorCodes.NotCallable,
                    "only a function or layer name (relu(x)) or a block's layer (block.layer(x)) can be called",
                    callee.Span);
            }

            return new CallSyntax(callee, Arguments(call.argumentList(), depth + 1), span);
        }

        private IReadOnlyList<ArgumentSyntax> Arguments(ArgumentListContext? list, int depth)
        {
            var arguments = new List<ArgumentSyntax>();
            bool seenNamed = false;
            foreach (var argument in list?.argument() ?? Array.Empty<ArgumentContext>())
            {
                var span = source.Of(argument);
                var value = argument.expression() is { } expression ? Expression(expression, depth) : new ErrorExpressionSyntax(source.At(span.End));
                if (argument.COLON() != null)
                {
                    seenNamed = true;
                    var (name, nameSpan) = Name(argument.identifier());
                    arguments.Add(new ArgumentSyntax(name, nameSpan, value, span));
                    continue;
                }

                if (seenNamed)
                {
                    diagnostics.Report(
                        SyntaxErrorCodes.PositionalAfterNamedArgument,
                        "a positional argument cannot follow a named one: write positional arguments first",
                        span);
                }

                arguments.Add(new ArgumentSyntax(null, SourceSpan.None, value, span));
            }

            return arguments;
        }

        private ExpressionSyntax Number(NumberExpressionContext number, SourceSpan span)
        {
            var digits = number.INTEGER() ?? number.DECIMAL();
            if (digits == null)
            {
                return new ErrorExpressionSyntax(span);
            }

            string text = digits.Symbol.Text;
            bool parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value);
            if (!parsed || double.IsInfinity(value) || Math.Abs(value) > float.MaxValue)
            {
                diagnostics.Report(SyntaxErrorCodes.NumberOutOfRange, $"number {text} is out of range: it does not fit a 32-bit float", span);
            }

            return new NumberSyntax(value, text, digits.Symbol.Type == ModelCParser.INTEGER, span);
        }

        private void ReportTooDeep(SourceSpan span)
        {
            if (nestingReportedInStatement)
            {
                return;
            }

            nestingReportedInStatement = true;
            diagnostics.Report(
                SyntaxErrorCodes.NestingTooDeep,
                $"expression nested too deeply: more than {SyntaxErrorCodes.MaxNestingDepth} levels; split it with let statements",
                span);
        }
    }
}
