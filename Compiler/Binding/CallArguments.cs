using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Diagnostics;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// A function's parameter list: names in positional order; the ones after Required are optional;
    /// a variadic function takes any number of leading positional tensors (l2(a, b, c), concat(a, b, axis: 0)).
    /// </summary>
    public sealed record Signature(string Function, IReadOnlyList<string> Names, int Required, bool Variadic = false)
    {
        public static Signature Of(string function, int required, params string[] names) => new(function, names, required);
        public static Signature VariadicOf(string function, params string[] named) => new(function, named, 0, Variadic: true);

        public string Usage => Variadic
            ? $"{Function}(a, b, ...{string.Concat(Names.Select(n => ", " + n + ": ..."))})"
            : $"{Function}({string.Join(", ", Names.Select((n, i) => i < Required ? n : n + "?"))})";
    }

    /// <summary>
    /// Matches a call's arguments to a signature: positional first, then by name. Reports
    /// too many, missing, unknown and repeated arguments; the caller then reads them by name.
    /// </summary>
    public sealed class CallArguments
    {
        private readonly Dictionary<string, ArgumentSyntax> _byName = new Dictionary<string, ArgumentSyntax>();

        private CallArguments(CallSyntax call, Signature signature)
        {
            Call = call;
            Signature = signature;
        }

        public CallSyntax Call { get; }
        public Signature Signature { get; }
        public List<ExpressionSyntax> Rest { get; } = new List<ExpressionSyntax>();
        public bool IsValid { get; private set; } = true;

        public static CallArguments Match(CallSyntax call, Signature signature, DiagnosticBag diagnostics)
        {
            var result = new CallArguments(call, signature);
            int position = 0;
            bool seenNamed = false;
            foreach (var argument in call.Arguments)
            {
                if (argument.Name is null)
                {
                    if (seenNamed)
                    {
                        diagnostics.ReportPositionalAfterNamed(argument.Span, signature.Function);
                        result.IsValid = false;
                        continue;
                    }
                    if (signature.Variadic) { result.Rest.Add(argument.Value); continue; }
                    if (position >= signature.Names.Count)
                    {
                        diagnostics.ReportTooManyArguments(argument.Span, signature.Function, signature.Names.Count, signature.Usage);
                        result.IsValid = false;
                        continue;
                    }
                    result._byName[signature.Names[position++]] = argument;
                    continue;
                }

                seenNamed = true;
                if (!signature.Names.Contains(argument.Name))
                {
                    diagnostics.ReportUnknownArgument(argument.NameSpan, signature.Function, argument.Name, signature.Names, signature.Usage);
                    result.IsValid = false;
                }
                else if (result._byName.ContainsKey(argument.Name))
                {
                    diagnostics.ReportArgumentGivenTwice(argument.NameSpan, argument.Name, signature.Function);
                    result.IsValid = false;
                }
                else
                {
                    result._byName[argument.Name] = argument;
                }
            }

            for (int i = 0; i < signature.Required; i++)
            {
                if (!result._byName.ContainsKey(signature.Names[i]))
                {
                    diagnostics.ReportMissingArgument(call.Span, signature.Function, signature.Names[i], signature.Usage);
                    result.IsValid = false;
                }
            }
            return result;
        }

        public ExpressionSyntax? this[string name] => _byName.TryGetValue(name, out var a) ? a.Value : null;
        public bool Has(string name) => _byName.ContainsKey(name);
    }
}
