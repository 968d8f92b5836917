namespace ModelC.Dsl.Syntax
{
    /// <summary>
    /// The codes of the diagnostics found while reading a .model file. They are stable: tools,
    /// tests and users' suppressions refer to them. MC0001–MC0099 belong to the Dsl.
    /// <list type="bullet">
    /// <item>MC0001 syntax error: a token is missing, unexpected, or not a token of the language
    ///   (<c>expected ';' after the statement</c>, <c>unexpected '}'</c>, <c>unexpected end of file</c>,
    ///   <c>unexpected character '#'</c>).</item>
    /// <item>MC0002 nesting too deep: an expression nests more than <see cref="MaxNestingDepth"/> levels
    ///   of parentheses, brackets, calls, signs or operators. Reported once, where the limit is crossed.</item>
    /// <item>MC0003 number or dimension out of range: a dimension or class count outside
    ///   [1, 2147483647], or a number too large for a 32-bit float.</item>
    /// <item>MC0004 unterminated comment: a <c>/*</c> with no matching <c>*/</c>.</item>
    /// <item>MC0005 positional argument after a named one: <c>f(a: 1, 2)</c>.</item>
    /// <item>MC0006 not callable: only a name (<c>relu(x)</c>) or a member (<c>block.layer(x)</c>) can be called.</item>
    /// </list>
    /// </summary>
    public static class SyntaxErrorCodes
    {
        public const string SyntaxError = "MC0001";
        public const string NestingTooDeep = "MC0002";
        public const string NumberOutOfRange = "MC0003";
        public const string UnterminatedComment = "MC0004";
        public const string PositionalAfterNamedArgument = "MC0005";
        public const string NotCallable = "MC0006";

        /// <summary>
        /// Deeper expressions are refused: the parser, the tree builder and every later pass over
        /// the tree recurse once per level, and all of them must fit a compiler thread's stack.
        /// </summary>
        public const int MaxNestingDepth = 200;

        /// <summary>Past this many diagnostics, more are dropped: they are almost always cascades.</summary>
        public const int MaxDiagnostics = 20;
    }
}
