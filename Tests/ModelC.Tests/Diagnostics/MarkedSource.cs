using System;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// A model text with one ⟨⟩ where a diagnostic should point. The marker is removed before
    /// compiling and its place gives the expected line and column, so no test counts columns by hand.
    /// </summary>
    internal sealed record MarkedSource(string Text, int Line, int Column)
    {
        public const string Marker = "⟨⟩";

        public static MarkedSource Parse(string marked)
        {
            int at = marked.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0 || marked.IndexOf(Marker, at + Marker.Length, StringComparison.Ordinal) >= 0)
                throw new ArgumentException($"the model text must hold exactly one {Marker}", nameof(marked));
            var text = marked.Remove(at, Marker.Length);
            var (line, column) = TextPosition.Of(text, at);
            return new MarkedSource(text, line, column);
        }
    }
}
