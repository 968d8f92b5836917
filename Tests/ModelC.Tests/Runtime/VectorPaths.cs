using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics.X86;
using ModelC.Runtime.Kernels;
using Xunit.Sdk;

namespace ModelC.Tests.Runtime;

/// <summary>
/// Runs a kernel test on each vector path: the portable loops, AVX2+FMA where the CPU has it, and
/// AVX-512 always (where Vector512 is not accelerated .NET emulates it: slow, but the same results),
/// so that both fast paths are checked on any x64 machine.
/// </summary>
internal static class VectorPaths
{
    public static IEnumerable<VectorPath> All
    {
        get
        {
            yield return VectorPath.Portable;
            if (Avx2.IsSupported && Fma.IsSupported) yield return VectorPath.Avx2;
            yield return VectorPath.Avx512;
        }
    }

    /// <summary>Runs <paramref name="test"/> once per path with that path forced; a failure names the path.</summary>
    public static void ForEach(Action<VectorPath> test)
    {
        foreach (var path in All)
        {
            using var forced = KernelPath.Force(path);
            try { test(path); }
            catch (XunitException e) { throw new XunitException($"on the {path} path: {e.Message}", e); }
        }
    }
}
