using System.Collections.Generic;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// The names a model's source calls (<c>fc1</c> in <c>relu(fc1(x))</c>), read from the syntax
    /// alone. A layer whose calls all sit in expressions that failed to bind was still called; only
    /// a layer named in no call is unused. Walks with an explicit stack: nesting depth is unbounded.
    /// </summary>
    internal static class CalledNames
    {
        public static HashSet<string> In(ModelSyntax model)
        {
            var names = new HashSet<string>();
            var pending = new Stack<ExpressionSyntax>();
            foreach (var statement in model.Statements)
            {
                switch (statement)
                {
                    case LetSyntax let: pending.Push(let.Value); break;
                    case OutputSyntax output: pending.Push(output.Value); break;
                    case LossSyntax loss: pending.Push(loss.Value); break;
                    case ParamSyntax { Initializer: ExpressionSyntax initializer }: pending.Push(initializer); break;
                }
            }

            while (pending.Count > 0)
            {
                switch (pending.Pop())
                {
                    case CallSyntax call:
                        if (call.Callee is NameSyntax callee) names.Add(callee.Name);
                        pending.Push(call.Callee);
                        foreach (var argument in call.Arguments) pending.Push(argument.Value);
                        break;
                    case BinarySyntax binary:
                        pending.Push(binary.Left);
                        pending.Push(binary.Right);
                        break;
                    case UnarySyntax unary: pending.Push(unary.Operand); break;
                    case MemberSyntax member: pending.Push(member.Target); break;
                    case IndexSyntax index:
                        pending.Push(index.Target);
                        pending.Push(index.Index);
                        break;
                    case ListSyntax list:
                        foreach (var item in list.Items) pending.Push(item);
                        break;
                }
            }
            return names;
        }
    }
}
