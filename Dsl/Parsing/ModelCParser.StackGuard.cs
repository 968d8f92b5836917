using System.Runtime.CompilerServices;
using Antlr4.Runtime;

namespace ModelC.Dsl.Grammar
{
    // A second line of defence behind TokenPrescan's depth limit: every rule the generated parser
    // enters first checks that the thread has stack left, so a deep input that slipped past the
    // pre-scan ends in InsufficientExecutionStackException (turned into MC0002) instead of killing
    // the process. Roslyn's parser guards itself the same way.
    partial class ModelCParser
    {
        public override void EnterRule(ParserRuleContext localctx, int state, int ruleIndex)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            base.EnterRule(localctx, state, ruleIndex);
        }

        public override void EnterRecursionRule(ParserRuleContext localctx, int state, int ruleIndex, int precedence)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            base.EnterRecursionRule(localctx, state, ruleIndex, precedence);
        }
    }
}
