using System.Linq;
using ModelC.Dsl.Grammar;

namespace ModelC.Dsl.Parsing
{
    /// <summary>Facts about ModelC.g4 that the code around the generated parser relies on.</summary>
    internal static class GrammarFacts
    {
        // The keywords that rule `identifier` also accepts as names.
        private static readonly int[] KeywordsUsableAsNames =
        {
            ModelCParser.NAMESPACE, ModelCParser.MODEL, ModelCParser.BLOCK, ModelCParser.FORWARD,
            ModelCParser.INPUT, ModelCParser.TARGET, ModelCParser.LAYER, ModelCParser.PARAM,
            ModelCParser.OUTPUT, ModelCParser.LOSS, ModelCParser.TRAIN, ModelCParser.FLOAT, ModelCParser.INT,
        };

        // The tokens an expression can start with (rule `expression`), besides those keywords.
        private static readonly int[] ExpressionStarts =
        {
            ModelCParser.IDENTIFIER, ModelCParser.INTEGER, ModelCParser.DECIMAL,
            ModelCParser.LEFT_PAREN, ModelCParser.LEFT_BRACKET, ModelCParser.MINUS, ModelCParser.PLUS,
        };

        public static bool IsKeywordUsableAsName(int tokenType) => KeywordsUsableAsNames.Contains(tokenType);

        public static bool CanStartName(int tokenType) => tokenType == ModelCParser.IDENTIFIER || IsKeywordUsableAsName(tokenType);

        public static bool CanStartExpression(int tokenType) => ExpressionStarts.Contains(tokenType) || IsKeywordUsableAsName(tokenType);
    }
}
