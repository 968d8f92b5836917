namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// Element-count arithmetic. Every size the compiler derives (shapes, parameter and arena
    /// totals, scratch regions, convolution geometry) is computed here in long and saturates instead
    /// of wrapping, so an overflow can only ever read as "too large", never as a small or negative
    /// number; the binder and the planner then report it as MC1023 at the statement that caused it.
    /// </summary>
    public static class Sizes
    {
        /// <summary>
        /// The most elements one .NET array holds (Array.MaxLength). Every tensor, the flat
        /// parameter vector and each per-example arena is one array (or a slice of one), so each
        /// must fit.
        /// </summary>
        public const long Limit = 0x7FFFFFC7;

        /// <summary>True when a count is a valid array length.</summary>
        public static bool Fits(long count) => count >= 0 && count <= Limit;

        /// <summary>a · b for non-negative counts, saturating at long.MaxValue; a negative factor reads as too large.</summary>
        public static long Product(long a, long b)
        {
            if (a < 0 || b < 0) return long.MaxValue;
            if (a == 0 || b == 0) return 0;
            return a > long.MaxValue / b ? long.MaxValue : a * b;
        }

        public static long Product(long a, long b, long c) => Product(Product(a, b), c);

        public static long Product(long a, long b, long c, long d) => Product(Product(a, b, c), d);

        /// <summary>a + b for non-negative counts, saturating at long.MaxValue; a negative term reads as too large.</summary>
        public static long Sum(long a, long b)
        {
            if (a < 0 || b < 0) return long.MaxValue;
            return a > long.MaxValue - b ? long.MaxValue : a + b;
        }

        /// <summary>
        /// A count as a dimension or an int offset: itself when it fits in an int, else int.MaxValue,
        /// which no checked size accepts (it is past <see cref="Limit"/>), so it is reported rather than wrapped.
        /// </summary>
        public static int Dimension(long count) => count < 0 || count > int.MaxValue ? int.MaxValue : (int)count;

        /// <summary>How MC1023 words a count past the limit: "2147488281 elements, more than the 2147483591 one .NET array holds".</summary>
        public static string TooMany(long count, string what) =>
            count == long.MaxValue
                ? $"more than {Limit} {what} (the most one .NET array holds)"
                : $"{count} {what}, more than the {Limit} one .NET array holds";
    }
}
