using System;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>Lines and columns as the compiler counts them: 1-based, lines ending at '\n' only.</summary>
    internal static class TextPosition
    {
        public static (int Line, int Column) Of(string text, int offset)
        {
            if (offset < 0 || offset > text.Length)
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"the text has {text.Length} characters");
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++)
            {
                if (text[i] != '\n') continue;
                line++;
                lineStart = i + 1;
            }
            return (line, offset - lineStart + 1);
        }

        public static int LineCount(string text)
        {
            int count = 1;
            foreach (char c in text)
                if (c == '\n') count++;
            return count;
        }

        /// <summary>The characters of a 1-based line, its '\n' excluded.</summary>
        public static int LineLength(string text, int line)
        {
            int start = 0;
            for (int current = 1; current < line; current++)
            {
                start = text.IndexOf('\n', start) + 1;
                if (start == 0) throw new ArgumentOutOfRangeException(nameof(line), line, $"the text has {LineCount(text)} lines");
            }
            int end = text.IndexOf('\n', start);
            return (end < 0 ? text.Length : end) - start;
        }
    }
}
