namespace ModelC.Dsl.Syntax
{
    /// <summary>
    /// Where a piece of syntax was written. Lines and columns are 1-based (as editors and
    /// Roslyn's "file(line,col)" form show them); Start and Length are 0-based character
    /// offsets into the file text.
    /// </summary>
    public readonly record struct SourceSpan(int Start, int Length, int Line, int Column, int EndLine, int EndColumn)
    {
        public static readonly SourceSpan None = new SourceSpan(0, 0, 1, 1, 1, 1);

        public int End => Start + Length;

        /// <summary>The smallest span that covers both.</summary>
        public SourceSpan Cover(SourceSpan other)
        {
            var first = Start <= other.Start ? this : other;
            var last = End >= other.End ? this : other;
            return new SourceSpan(first.Start, last.End - first.Start, first.Line, first.Column, last.EndLine, last.EndColumn);
        }

        public override string ToString() => $"({Line},{Column})";
    }
}
