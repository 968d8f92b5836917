using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelC.Runtime.Kernels;

/// <summary>The vector code a kernel runs: 512-bit (AVX-512), 256-bit with fused multiply-add (AVX2+FMA), or the portable loops.</summary>
internal enum VectorPath
{
    Portable,
    Avx2,
    Avx512,
}

/// <summary>
/// The one place that picks the kernels' vector path: the widest the CPU accelerates, chosen once.
/// Tests can force a path on the calling thread (<see cref="Force"/>): the AVX-512 code is correct,
/// only slow, where Vector512 is not accelerated (.NET emulates it), so both fast paths can be
/// checked on any x64 machine. Products that share work with kernel workers hand the caller's path
/// to them, so a forced path holds for the whole product.
/// </summary>
internal static class KernelPath
{
    /// <summary>The path this CPU's widest accelerated vectors give.</summary>
    public static readonly VectorPath Native =
        Vector512.IsHardwareAccelerated ? VectorPath.Avx512
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported ? VectorPath.Avx2
        : VectorPath.Portable;

    // 0 when not forced, else the forced path + 1.
    [ThreadStatic] private static int t_forced;

    /// <summary>The path kernels called on this thread take.</summary>
    public static VectorPath Current
    {
        get
        {
            int forced = t_forced;
            return forced == 0 ? Native : (VectorPath)(forced - 1);
        }
    }

    /// <summary>Makes kernels called on this thread take <paramref name="path"/> until the result is disposed (for tests).</summary>
    public static Scope Force(VectorPath path)
    {
        if (path == VectorPath.Avx2 && !(Avx2.IsSupported && Fma.IsSupported))
            throw new PlatformNotSupportedException("the AVX2+FMA path needs a CPU with AVX2 and FMA");
        var scope = new Scope(t_forced);
        t_forced = (int)path + 1;
        return scope;
    }

    public readonly struct Scope : IDisposable
    {
        private readonly int _previous;
        internal Scope(int previous) => _previous = previous;
        public void Dispose() => t_forced = _previous;
    }
}
