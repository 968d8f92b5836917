using System;
using System.Collections.Generic;

namespace ModelC.Compiler.Binding
{
    /// <summary>"did you mean" for misspelled names: the closest candidate within a small edit distance.</summary>
    public static class NameSuggestions
    {
        public static string? Closest(string name, IEnumerable<string> candidates)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (var candidate in candidates)
            {
                int d = Distance(name, candidate);
                if (d < bestDistance || (d == bestDistance && string.CompareOrdinal(candidate, best) < 0))
                {
                    best = candidate;
                    bestDistance = d;
                }
            }
            int allowed = Math.Max(1, Math.Min(3, name.Length / 3));
            return bestDistance <= allowed ? best : null;
        }

        public static string DidYouMean(string name, IEnumerable<string> candidates) =>
            Closest(name, candidates) is string s ? $"; did you mean '{s}'?" : "";

        /// <summary>Optimal string alignment distance (Levenshtein plus adjacent swaps).</summary>
        public static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (int j = 0; j <= b.Length; j++) d[0, j] = j;
            for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
            return d[a.Length, b.Length];
        }
    }
}
