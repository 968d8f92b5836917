using System;
using System.Globalization;
using System.Linq;
using Antlr4.Runtime;
using ModelC.Dsl.Syntax;
using static ModelC.Dsl.Grammar.ModelCParser;

namespace ModelC.Dsl.Parsing
{
    // Types and their dimensions.
    internal sealed partial class SyntaxTreeBuilder
    {
        private const string DimensionRange = "between 1 and 2147483647";

        private TypeSyntax Type(TypeContext? type, ParserRuleContext statement)
        {
            switch (type)
            {
                case FloatTypeContext floatType:
                    return new FloatTypeSyntax(Dimensions(floatType.dimensionList()), source.Of(floatType));
                case IntTypeContext intType:
                    var classes = Dimension(intType.dimension(), intType, "class count", "int<N> needs N " + DimensionRange);
                    return new IntTypeSyntax(classes, Dimensions(intType.dimensionList()), source.Of(intType));
                case null:
                    return new ErrorTypeSyntax(MissingAtEndOf(statement));
                default:
                    return new ErrorTypeSyntax(source.Of(type));
            }
        }

        private DimensionSyntax[] Dimensions(DimensionListContext? list) =>
            list?.dimension()
                .Select(dimension => Dimension(dimension, list, "dimension", "a dimension must be " + DimensionRange))
                .ToArray()
            ?? Array.Empty<DimensionSyntax>();

        /// <summary>Reports a value outside [1, int.MaxValue]; Value is null when the digits do not even fit a long.</summary>
        private DimensionSyntax Dimension(DimensionContext? dimension, ParserRuleContext owner, string what, string rule)
        {
            var digits = dimension?.INTEGER();
            if (dimension == null || digits == null || SourceText.IsConjured(digits.Symbol))
            {
                // The parser has reported the missing number.
                var at = dimension != null ? source.Of(dimension) : MissingAtEndOf(owner);
                return new DimensionSyntax(string.Empty, null, at);
            }

            bool negative = dimension.MINUS() != null;
            string text = (negative ? "-" : string.Empty) + digits.Symbol.Text;
            var span = source.Of(dimension);
            long? value = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) ? parsed : (long?)null;
            if (value == null || value < 1 || value > int.MaxValue)
            {
                diagnostics.Report(SyntaxErrorCodes.NumberOutOfRange, $"{what} {text} is out of range: {rule}", span);
            }

            return new DimensionSyntax(text, value, span);
        }
    }
}
