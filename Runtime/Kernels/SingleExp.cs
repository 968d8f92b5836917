using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// e^x in single precision from additions, multiplications, fused multiply-adds and an exponent
/// shift only (Cephes' expf: x = n ln 2 + r with |r| ≤ ln 2 / 2, a degree-6 polynomial in r, times
/// 2^n), written for a Vector512, a Vector256 and a float with the same operations in the same
/// order, so that a kernel's vector body and its scalar tail give the same bits, on every CPU.
/// Within 2 ulp of the exact value for x in [-87.3, 88]; below that it is 0 (e^x is then under
/// float's smallest normal number), and above it saturates at e^88 (callers take it of x ≤ 0).
/// </summary>
internal static class SingleExp
{
    private const float Lowest = -87.33654f, Highest = 88f;
    private const float Log2E = 1.44269504088896341f;
    // ln 2 split in two, so that n · C1 is exact for the n that occur.
    private const float C1 = 0.693359375f, C2 = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        float input = x;
        x = MathF.Min(MathF.Max(x, Lowest), Highest);
        float n = MathF.Round(x * Log2E);
        float r = MathF.FusedMultiplyAdd(n, -C1, x);
        r = MathF.FusedMultiplyAdd(n, -C2, r);
        float p = MathF.FusedMultiplyAdd(P0, r, P1);
        p = MathF.FusedMultiplyAdd(p, r, P2);
        p = MathF.FusedMultiplyAdd(p, r, P3);
        p = MathF.FusedMultiplyAdd(p, r, P4);
        p = MathF.FusedMultiplyAdd(p, r, P5);
        p = MathF.FusedMultiplyAdd(p, r * r, r) + 1f;
        float e = p * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
        return input < Lowest ? 0f : e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var underflow = Vector512.LessThan(x, Vector512.Create(Lowest));
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-C1), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-C2), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512.Create(1f);
        var scale = (Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23;
        return Vector512.AndNot(p * scale.AsSingle(), underflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var underflow = Vector256.LessThan(x, Vector256.Create(Lowest));
        x = Clamp(x);
        var n = Vector256.Round(x * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-C1), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-C2), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P5));
        p = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256.Create(1f);
        var scale = (ToInt32(n) + Vector256.Create(127)) << 23;
        return Vector256.AndNot(p * scale.AsSingle(), underflow);
    }

    // x clamped to [Lowest, Highest], NaN staying NaN, as MathF.Min(MathF.Max(x, Lowest), Highest).
    // With AVX, vmaxps and vminps with x second (they return the second operand when either is NaN):
    // one instruction each, where Vector256.Max and Min (IEEE 754 maximum and minimum, whose ±0 and
    // NaN rules cost a dozen instructions on AVX2) give the same bits against bounds that are not 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Clamp(Vector256<float> x) =>
        Avx.IsSupported
            ? Avx.Min(Vector256.Create(Highest), Avx.Max(Vector256.Create(Lowest), x))
            : Vector256.Min(Vector256.Max(x, Vector256.Create(Lowest)), Vector256.Create(Highest));

    // n (a whole number in [-126, 127], or NaN) as an int: with AVX one truncating conversion, exact for
    // whole numbers, where Vector256.ConvertToInt32 adds its saturation of out-of-range and NaN lanes
    // on AVX2; a NaN lane's scale differs, but p is then NaN and so is the product.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ToInt32(Vector256<float> n) =>
        Avx.IsSupported ? Avx.ConvertToVector256Int32WithTruncation(n) : Vector256.ConvertToInt32(n);
}
