using System.Reflection;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>KernelInfo under the JIT, which compiles for this CPU: what it reports must match the hardware intrinsics the kernels test.</summary>
public sealed class KernelInfoTests
{
    private static readonly string[] Order = { "scalar", "Vector128", "AVX2+FMA", "AVX-512" };

    [Fact]
    public void InstructionSet_IsTheWidestPathTheKernelsTake()
    {
        string expected = Vector512.IsHardwareAccelerated ? "AVX-512"
            : Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported ? "AVX2+FMA"
            : Vector128.IsHardwareAccelerated ? "Vector128"
            : "scalar";

        Assert.Equal(expected, KernelInfo.InstructionSet);
    }

    [Fact]
    public void UnderTheJit_TheLineSaysJit_WithTheThreadCount_AndNoWarning()
    {
        Assert.False(KernelInfo.IsAheadOfTime);
        Assert.Null(KernelInfo.Warning);
        Assert.Equal(KernelThreads.Parts, KernelInfo.Threads);
        string threads = KernelInfo.Threads == 1 ? "1 thread" : $"{KernelInfo.Threads} threads";
        Assert.Equal($"kernels: {KernelInfo.InstructionSet}, {threads}, JIT", KernelInfo.Describe());
    }

    [Fact]
    public void TheCpuidReading_NeverOffersLessThanTheJitUses()
    {
        // The warning compares CPUID's answer with the path taken; read wrongly it would warn about
        // every binary, or about none. The JIT may decline Vector512 on a CPU that has it, never the reverse.
        var read = typeof(KernelInfo).GetMethod("CpuInstructionSet", BindingFlags.NonPublic | BindingFlags.Static)!;
        string cpu = (string)read.Invoke(null, null)!;

        Assert.Contains(cpu, Order);
        Assert.True(System.Array.IndexOf(Order, cpu) >= System.Array.IndexOf(Order, KernelInfo.InstructionSet),
            $"CPUID says {cpu}, the kernels run {KernelInfo.InstructionSet}");
        if (Avx512F.IsSupported && Avx512BW.IsSupported && Avx512CD.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported)
            Assert.Equal("AVX-512", cpu);
        else if (Avx2.IsSupported && Fma.IsSupported)
            Assert.Contains(cpu, new[] { "AVX2+FMA", "AVX-512" });
    }
}
