using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ModelC.Runtime;

/// <summary>
/// The deterministic generator generated models use for initialization and dropout:
/// xoshiro128** (Blackman and Vigna) seeded through SplitMix64. Unlike System.Random,
/// whose algorithm may change between .NET versions, a seed gives the same numbers
/// everywhere. Not thread-safe and not cryptographic.
/// </summary>
public sealed class ModelRandom
{
    private const float FloatUnit = 1f / (1 << 24);
    private const double DoubleUnit = 1.0 / (1UL << 53);

    private uint s0;
    private uint s1;
    private uint s2;
    private uint s3;
    private bool hasSpareNormal;
    private float spareNormal;

    public ModelRandom(ulong seed)
    {
        // SplitMix64 spreads any seed, 0 included, over all 128 state bits; two
        // consecutive outputs are never both zero, so the state never is.
        ulong first = SplitMix64(ref seed);
        ulong second = SplitMix64(ref seed);
        s0 = (uint)first;
        s1 = (uint)(first >> 32);
        s2 = (uint)second;
        s3 = (uint)(second >> 32);
    }

    /// <summary>Seeds from an int; negative seeds are as good as positive ones (their bits are reused).</summary>
    public ModelRandom(int seed)
        : this(unchecked((ulong)(long)seed))
    {
    }

    public ModelRandom(ModelRandomState state)
    {
        SetState(state);
    }

    /// <summary>32 uniformly random bits.</summary>
    public uint NextUInt() => Next(ref s0, ref s1, ref s2, ref s3);

    // One xoshiro128** step on the four state words, wherever they are kept.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Next(ref uint w0, ref uint w1, ref uint w2, ref uint w3)
    {
        uint result = BitOperations.RotateLeft(w1 * 5, 7) * 9;
        uint shifted = w1 << 9;
        w2 ^= w0;
        w3 ^= w1;
        w1 ^= w2;
        w0 ^= w3;
        w2 ^= shifted;
        w3 = BitOperations.RotateLeft(w3, 11);
        return result;
    }

    /// <summary>A uniform float in [0, 1), a multiple of 2^-24 (every float32 step in [0.5, 1)).</summary>
    public float NextFloat() => (NextUInt() >> 8) * FloatUnit;

    /// <summary>
    /// values[i] = <see cref="NextFloat"/>() for each i in order (the same numbers and the same state
    /// after), with the state in locals: a loop of NextFloat calls stores and reloads the four words
    /// on every draw, which made dropout's draws about three times slower.
    /// </summary>
    public void FillFloats(Span<float> values)
    {
        uint w0 = s0, w1 = s1, w2 = s2, w3 = s3;
        for (int i = 0; i < values.Length; i++) values[i] = (Next(ref w0, ref w1, ref w2, ref w3) >> 8) * FloatUnit;

        s0 = w0;
        s1 = w1;
        s2 = w2;
        s3 = w3;
    }

    /// <summary>A uniform double in [0, 1), a multiple of 2^-53, from two draws.</summary>
    public double NextDouble()
    {
        ulong high = NextUInt();
        ulong low = NextUInt();
        return (((high << 32) | low) >> 11) * DoubleUnit;
    }

    /// <summary>
    /// A standard normal by the Box–Muller transform; every other call returns the cached
    /// second value. Computed in double, so platform differences in the last bit of
    /// Math.Log, Math.Cos or Math.Sin vanish when rounding to float.
    /// </summary>
    public float NextNormal()
    {
        if (hasSpareNormal)
        {
            hasSpareNormal = false;
            return spareNormal;
        }

        double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble()));
        double angle = 2.0 * Math.PI * NextDouble();
        spareNormal = (float)(radius * Math.Sin(angle));
        hasSpareNormal = true;
        return (float)(radius * Math.Cos(angle));
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "The upper bound must be > 0.");
        }

        uint range = (uint)maxExclusive;
        ulong product = (ulong)NextUInt() * range;
        uint low = (uint)product;
        if (low < range)
        {
            // Reject the few products whose low word falls in the over-represented band.
            uint threshold = (0u - range) % range;
            while (low < threshold)
            {
                product = (ulong)NextUInt() * range;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>
    /// Fills <paramref name="values"/> with uniform draws from [low, high); float rounding
    /// of low + (high - low) * u can return high itself.
    /// </summary>
    public void FillUniform(Span<float> values, float low, float high)
    {
        if (!float.IsFinite(low))
        {
            throw new ArgumentOutOfRangeException(nameof(low), low, "The lower bound must be finite.");
        }

        if (!float.IsFinite(high) || high < low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"The upper bound must be finite and >= the lower bound {low}.");
        }

        float width = high - low;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (width * NextFloat());
        }
    }

    /// <summary>Fills <paramref name="values"/> with normal draws of the given mean and standard deviation.</summary>
    public void FillNormal(Span<float> values, float mean, float std)
    {
        if (!float.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean must be finite.");
        }

        if (!float.IsFinite(std) || std < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be a finite number >= 0.");
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = mean + (std * NextNormal());
        }
    }

    /// <summary>Puts <paramref name="values"/> in uniformly random order (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>The full state, for checkpoints.</summary>
    public ModelRandomState GetState() => new(s0, s1, s2, s3, hasSpareNormal, spareNormal);

    /// <summary>Continues from a state taken with <see cref="GetState"/>.</summary>
    /// <exception cref="ArgumentException">All four words are zero, a state xoshiro never leaves.</exception>
    public void SetState(ModelRandomState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("A xoshiro128** state must have at least one non-zero word.", nameof(state));
        }

        s0 = state.S0;
        s1 = state.S1;
        s2 = state.S2;
        s3 = state.S3;
        hasSpareNormal = state.HasSpareNormal;
        spareNormal = state.SpareNormal;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
