using System;
using System.Linq;
using ModelC.Compiler.Binding;
using Xunit;

namespace ModelC.Tests.Compiler
{
    public class NameSuggestionsTests
    {
        /// <summary>The banded distance against the whole table, on random near-miss pairs over a small alphabet.</summary>
        [Fact]
        public void TheBandedDistanceIsTheFullTablesWheneverItIsWithinTheLimit()
        {
            var random = new Random(20261202);
            for (int trial = 0; trial < 20_000; trial++)
            {
                var a = RandomName(random, random.Next(0, 12));
                var b = Mutate(random, a, random.Next(0, 5));
                int limit = random.Next(0, 5);

                int full = FullTable(a, b);
                int banded = NameSuggestions.Distance(a, b, limit);

                if (full <= limit) Assert.True(banded == full, $"'{a}' '{b}' limit {limit}: {banded}, table {full}");
                else Assert.True(banded == limit + 1, $"'{a}' '{b}' limit {limit}: {banded}, table {full}");
                Assert.Equal(full, NameSuggestions.Distance(a, b));
            }
        }

        [Theory]
        [InlineData("rlu", "relu")]
        [InlineData("desne", "dense")]
        [InlineData("cnov2d", "conv2d")]
        [InlineData("q", "h")]
        [InlineData("lyrnrm", null)]
        [InlineData("xyz", null)]
        public void TheClosestNameWithinAThirdOfTheLengthIsSuggested(string typed, string? suggestion)
        {
            var candidates = new[] { "relu", "dense", "conv2d", "h", "layernorm", "tanh" };
            Assert.Equal(suggestion, NameSuggestions.Closest(typed, candidates));
        }

        private static string RandomName(Random random, int length) =>
            new string(Enumerable.Range(0, length).Select(_ => "abc"[random.Next(3)]).ToArray());

        private static string Mutate(Random random, string text, int edits)
        {
            var chars = text.ToList();
            for (int e = 0; e < edits; e++)
            {
                int kind = random.Next(4), at = random.Next(chars.Count + 1);
                if (kind == 0) chars.Insert(at, "abc"[random.Next(3)]);
                else if (at < chars.Count && kind == 1) chars.RemoveAt(at);
                else if (at < chars.Count && kind == 2) chars[at] = "abc"[random.Next(3)];
                else if (at + 1 < chars.Count) (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
            }
            return new string(chars.ToArray());
        }

        /// <summary>Optimal string alignment over the whole (|a| + 1) × (|b| + 1) table: the definition.</summary>
        private static int FullTable(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (int j = 0; j <= b.Length; j++) d[0, j] = j;
            for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
            return d[a.Length, b.Length];
        }
    }
}
