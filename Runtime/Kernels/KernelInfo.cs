using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Which kernels this process runs: the vector width the kernels pick, the thread count, and
/// whether the code was compiled ahead of time. A NativeAOT binary is compiled for a fixed
/// instruction set; when that set is narrower than the CPU's, the kernels take their narrower
/// paths (slower, and with other rounding than the JIT build), and <see cref="Warning"/> says so.
/// </summary>
public static class KernelInfo
{
    /// <summary>The widest vector path the kernels take: "AVX-512", "AVX2+FMA", "Vector128" or "scalar".</summary>
    public static string InstructionSet =>
        KernelPath.Native switch
        {
            VectorPath.Avx512 => "AVX-512",
            VectorPath.Avx2 => "AVX2+FMA",
            _ => Vector128.IsHardwareAccelerated ? "Vector128" : "scalar",
        };

    /// <summary>The threads that share a large product (<see cref="KernelThreads.Parts"/>).</summary>
    public static int Threads => KernelThreads.Parts;

    /// <summary>True in a NativeAOT binary, whose instruction set was fixed when it was published.</summary>
    public static bool IsAheadOfTime => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>
    /// Set when the CPU offers a wider vector path than this process uses: only possible for
    /// code compiled ahead of time for an older instruction set (the JIT uses what the CPU has).
    /// </summary>
    public static string? Warning
    {
        get
        {
            // The JIT compiles for this CPU (and may decline Vector512 where it would throttle the clock).
            if (!IsAheadOfTime) return null;
            string best = CpuInstructionSet();
            if (Rank(best) <= Rank(InstructionSet)) return null;
            return $"this CPU supports {best} but the kernels run {InstructionSet}: the binary was compiled for an older "
                + "instruction set (publish with -p:IlcInstructionSet=native, or one that includes "
                + best + ") and trains slower, with other rounding than the JIT build";
        }
    }

    /// <summary>One line for logs, e.g. "kernels: AVX-512, 2 threads, JIT".</summary>
    public static string Describe()
    {
        string line = $"kernels: {InstructionSet}, {Threads} thread{(Threads == 1 ? "" : "s")}, {(IsAheadOfTime ? "NativeAOT" : "JIT")}";
        return Warning is string warning ? line + "; warning: " + warning : line;
    }

    private static int Rank(string instructionSet) => instructionSet switch
    {
        "AVX-512" => 3,
        "AVX2+FMA" => 2,
        "Vector128" => 1,
        _ => 0,
    };

    // What the CPU offers, read with CPUID (available to every x64 binary) rather than through the
    // Avx2/Avx512F classes, which in a NativeAOT binary report what it was compiled for. OSXSAVE
    // stands in for the operating system's support: there is no managed XGETBV.
    private static string CpuInstructionSet()
    {
        if (!X86Base.IsSupported) return Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";
        var (_, _, features1, _) = X86Base.CpuId(1, 0);
        bool osxsave = (features1 & (1 << 27)) != 0, avx = (features1 & (1 << 28)) != 0, fma = (features1 & (1 << 12)) != 0;
        if (!osxsave || !avx) return "Vector128";
        var (_, features7, _, _) = X86Base.CpuId(7, 0);
        // AVX-512 F, DQ, CD, BW and VL: what .NET requires before it accelerates Vector512.
        const int avx512Bits = (1 << 16) | (1 << 17) | (1 << 28) | (1 << 30) | unchecked((int)(1u << 31));
        if ((features7 & avx512Bits) == avx512Bits) return "AVX-512";
        return (features7 & (1 << 5)) != 0 && fma ? "AVX2+FMA" : "Vector128";
    }
}
