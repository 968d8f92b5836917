using System;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>The kernels' promise that the thread count changes no bit, checked the same way by every kernel test.</summary>
internal static class ThreadCounts
{
    /// <summary>Runs <paramref name="run"/> at one kernel thread, then at two; KernelThreads.Parts is put back after.</summary>
    public static void AtOneAndTwo(Action run)
    {
        int saved = KernelThreads.Parts;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                KernelThreads.Parts = threads;
                run();
            }
        }
        finally
        {
            KernelThreads.Parts = saved;
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> at one kernel thread, then three times at two, and asserts that
    /// every array it returns holds the same values each time; KernelThreads.Parts is put back after.
    /// </summary>
    public static void AssertTwoGiveTheBitsOfOne(Func<float[][]> run)
    {
        int saved = KernelThreads.Parts;
        try
        {
            KernelThreads.Parts = 1;
            var one = run();
            KernelThreads.Parts = 2;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                var two = run();
                Assert.Equal(one.Length, two.Length);
                for (int k = 0; k < one.Length; k++) Assert.Equal(one[k], two[k]);
            }
        }
        finally
        {
            KernelThreads.Parts = saved;
        }
    }
}
