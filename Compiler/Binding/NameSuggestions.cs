using System;
using System.Collections.Generic;
using ModelC.Compiler.Diagnostics;

namespace ModelC.Compiler.Binding
{
    /// <summary>"did you mean" for misspelled names: the closest candidate within a small edit distance.</summary>
    public static class NameSuggestions
    {
        /// <summary>
        /// Candidate names the did-you-mean searches of one file may compare in all. A file with
        /// thousands of misspellings among thousands of names still gets every error, and the first
        /// of them their suggestions; the rest go without, so the search cannot dominate the compile.
        /// </summary>
        public const int MaxComparisonsPerFile = 2_000_000;

        /// <summary>
        /// "; did you mean 'x'?" or "". Each candidate enumerated is charged to the file's search
        /// budget kept in <paramref name="diagnostics"/>; once it is spent, the search gives up.
        /// </summary>
        public static string DidYouMean(this DiagnosticBag diagnostics, string name, IEnumerable<string> candidates)
        {
            var affordable = new List<string>();
            foreach (var candidate in candidates)
            {
                if (diagnostics.SuggestionComparisons >= MaxComparisonsPerFile) return "";
                diagnostics.SuggestionComparisons++;
                affordable.Add(candidate);
            }
            return Closest(name, affordable) is string s ? $"; did you mean '{s}'?" : "";
        }

        public static string? Closest(string name, IEnumerable<string> candidates)
        {
            int allowed = Math.Max(1, Math.Min(3, name.Length / 3));
            string? best = null;
            int bestDistance = allowed + 1;
            foreach (var candidate in candidates)
            {
                int d = Distance(name, candidate, allowed);
                if (d < bestDistance || (d == bestDistance && best is not null && string.CompareOrdinal(candidate, best) < 0))
                {
                    best = candidate;
                    bestDistance = d;
                }
            }
            return bestDistance <= allowed ? best : null;
        }

        /// <summary>
        /// Optimal string alignment distance (Levenshtein plus adjacent swaps) when it is at most
        /// <paramref name="limit"/>, else limit + 1. Only the diagonal band |i − j| ≤ limit can hold
        /// such an alignment, so the cost is O(length · limit) time and O(length) memory: two names
        /// of 100,000 characters compare in about a millisecond instead of filling a 40 GB table.
        /// </summary>
        public static int Distance(string a, string b, int limit = int.MaxValue)
        {
            limit = Math.Min(limit, Math.Max(a.Length, b.Length));
            if (Math.Abs(a.Length - b.Length) > limit) return limit + 1;
            int far = limit + 1;
            int m = b.Length;
            var beforePrevious = new int[m + 1];
            var previous = new int[m + 1];
            var current = new int[m + 1];
            for (int j = 0; j <= m; j++) previous[j] = Math.Min(j, far);
            for (int i = 1; i <= a.Length; i++)
            {
                int from = Math.Max(1, i - limit), to = (int)Math.Min(m, (long)i + limit);
                current[0] = Math.Min(i, far);
                if (from > 1) current[from - 1] = far;
                int rowBest = current[0];
                for (int j = from; j <= to; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    int d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                        d = Math.Min(d, beforePrevious[j - 2] + 1);
                    current[j] = Math.Min(d, far);
                    rowBest = Math.Min(rowBest, current[j]);
                }
                if (to < m) current[to + 1] = far;
                if (rowBest >= far) return far;
                (beforePrevious, previous, current) = (previous, current, beforePrevious);
            }
            return previous[m];
        }
    }
}
