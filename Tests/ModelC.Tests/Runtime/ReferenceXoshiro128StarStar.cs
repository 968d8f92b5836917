namespace ModelC.Tests.Runtime;

/// <summary>
/// A deliberately plain transcription of Vigna's splitmix64.c and xoshiro128starstar.c,
/// in 64-bit arithmetic with explicit masks, to check ModelRandom against.
/// </summary>
internal sealed class ReferenceXoshiro128StarStar
{
    private const ulong Mask32 = 0xFFFFFFFF;
    private readonly ulong[] s = new ulong[4];

    public ReferenceXoshiro128StarStar(ulong seed)
    {
        ulong x = seed;
        ulong a = NextSplitMix64(ref x);
        ulong b = NextSplitMix64(ref x);
        s[0] = a & Mask32;
        s[1] = a >> 32;
        s[2] = b & Mask32;
        s[3] = b >> 32;
    }

    public uint Next()
    {
        ulong result = Rotl((s[1] * 5) & Mask32, 7) * 9 & Mask32;
        ulong t = (s[1] << 9) & Mask32;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Rotl(s[3], 11);
        return (uint)result;
    }

    private static ulong Rotl(ulong x, int k) => ((x << k) | (x >> (32 - k))) & Mask32;

    private static ulong NextSplitMix64(ref ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15;
            ulong z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
