using System;
using System.Collections.Generic;
using Antlr4.Runtime;
using ModelC.Dsl.Syntax;

namespace ModelC.Dsl.Parsing
{
    /// <summary>The text being parsed and the map from character offsets to 1-based lines and columns.</summary>
    internal sealed class SourceText
    {
        private readonly int[] lineStarts;

        public SourceText(string text)
        {
            Text = text;
            var starts = new List<int> { 0 };
            for (int i = 0; i < text.Length; i++)
            {
                // Lines end at '\n' only, as the ANTLR lexer counts them; a '\r' before it is a character of the line.
                if (text[i] == '\n')
                {
                    starts.Add(i + 1);
                }
            }

            lineStarts = starts.ToArray();
        }

        public string Text { get; }

        public SourceSpan WholeText => Span(0, Text.Length);

        /// <summary>The span of [start, end), clamped to the text.</summary>
        public SourceSpan Span(int start, int end)
        {
            start = Clamp(start);
            end = Math.Max(start, Clamp(end));
            var (line, column) = Position(start);
            var (endLine, endColumn) = Position(end);
            return new SourceSpan(start, end - start, line, column, endLine, endColumn);
        }

        public SourceSpan At(int offset) => Span(offset, offset);

        public SourceSpan Of(IToken token)
        {
            if (IsConjured(token))
            {
                return AtLineAndColumn(token.Line, token.Column);
            }

            return Span(token.StartIndex, token.StopIndex + 1);
        }

        /// <summary>From the first token of the rule to its last; empty at the first token when the rule matched nothing.</summary>
        public SourceSpan Of(ParserRuleContext context)
        {
            var start = Of(context.Start);
            if (context.Stop == null)
            {
                return At(start.Start);
            }

            var stop = Of(context.Stop);
            return stop.End < start.Start ? At(start.Start) : Span(start.Start, stop.End);
        }

        public SourceSpan EndOf(IToken token) => At(Of(token).End);

        /// <summary>Tokens made up by the parser's error recovery ("missing ';'") point nowhere in the text.</summary>
        public static bool IsConjured(IToken token) => token.StartIndex < 0 || token.TokenIndex < 0;

        /// <summary>An empty span at a position given the ANTLR way: 1-based line, 0-based column.</summary>
        public SourceSpan AtLineAndColumn(int line, int zeroBasedColumn)
        {
            int lineIndex = Math.Min(Math.Max(line, 1), lineStarts.Length) - 1;
            return At(lineStarts[lineIndex] + Math.Max(zeroBasedColumn, 0));
        }

        private (int Line, int Column) Position(int offset)
        {
            int index = Array.BinarySearch(lineStarts, offset);
            int lineIndex = index >= 0 ? index : ~index - 1;
            return (lineIndex + 1, offset - lineStarts[lineIndex] + 1);
        }

        private int Clamp(int offset) => Math.Min(Math.Max(offset, 0), Text.Length);
    }
}
