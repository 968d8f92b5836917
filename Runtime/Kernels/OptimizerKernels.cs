using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Optimizer updates fused into one pass over the parameters: Adam's nine elementwise passes read
/// and write about 24 arrays' worth of memory, the fused loop 7, which is most of a small model's
/// step once the products are fast.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// One torch.optim.Adam update, element by element with the operations of the TensorPrimitives
    /// passes it replaces (vectors unfused, scalar tail fused, as TensorPrimitives does); results
    /// agree with those passes to an ulp or so:
    /// m = m b1 + g (1 - b1) (Lerp); v = v b2 + g^2 (1 - b2); p += (m / (sqrt(v) / bc2 + eps)) (-stepSize).
    /// Returns false (doing nothing) without AVX-512 or AVX2, where the TensorPrimitives passes are used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryAdamStep(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment,
        float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize, float biasCorrection2Sqrt, float epsilon)
    {
        var path = KernelPath.Current;
        if (path == VectorPath.Portable) return false;
        int n = parameters.Length;
        if (gradients.Length != n || firstMoment.Length != n || secondMoment.Length != n) throw new ArgumentException("Adam's arrays differ in length.");
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m = ref MemoryMarshal.GetReference(firstMoment);
        ref float v = ref MemoryMarshal.GetReference(secondMoment);
        float keep1 = 1f - oneMinusBeta1;
        int i = 0;
        if (path == VectorPath.Avx512)
        {
            var a1 = Vector512.Create(oneMinusBeta1);
            var k1 = Vector512.Create(keep1);
            var b2 = Vector512.Create(beta2);
            var a2 = Vector512.Create(oneMinusBeta2);
            var step = Vector512.Create(-stepSize);
            var correction = Vector512.Create(biasCorrection2Sqrt);
            var eps = Vector512.Create(epsilon);
            for (; i + 16 <= n; i += 16)
            {
                var gi = Vector512.LoadUnsafe(ref g, (nuint)i);
                var mi = Vector512.LoadUnsafe(ref m, (nuint)i);
                mi = (mi * k1) + (gi * a1);
                var vi = (gi * gi * a2) + (Vector512.LoadUnsafe(ref v, (nuint)i) * b2);
                var update = mi / (Vector512.Sqrt(vi) / correction + eps);
                mi.StoreUnsafe(ref m, (nuint)i);
                vi.StoreUnsafe(ref v, (nuint)i);
                ((update * step) + Vector512.LoadUnsafe(ref p, (nuint)i)).StoreUnsafe(ref p, (nuint)i);
            }
        }
        else
        {
            var a1 = Vector256.Create(oneMinusBeta1);
            var k1 = Vector256.Create(keep1);
            var b2 = Vector256.Create(beta2);
            var a2 = Vector256.Create(oneMinusBeta2);
            var step = Vector256.Create(-stepSize);
            var correction = Vector256.Create(biasCorrection2Sqrt);
            var eps = Vector256.Create(epsilon);
            for (; i + 8 <= n; i += 8)
            {
                var gi = Vector256.LoadUnsafe(ref g, (nuint)i);
                var mi = Vector256.LoadUnsafe(ref m, (nuint)i);
                mi = (mi * k1) + (gi * a1);
                var vi = (gi * gi * a2) + (Vector256.LoadUnsafe(ref v, (nuint)i) * b2);
                var update = mi / (Vector256.Sqrt(vi) / correction + eps);
                mi.StoreUnsafe(ref m, (nuint)i);
                vi.StoreUnsafe(ref v, (nuint)i);
                ((update * step) + Vector256.LoadUnsafe(ref p, (nuint)i)).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref g, i);
            ref float mi = ref Unsafe.Add(ref m, i);
            ref float vi = ref Unsafe.Add(ref v, i);
            mi = MathF.FusedMultiplyAdd(mi, keep1, gi * oneMinusBeta1);
            vi = MathF.FusedMultiplyAdd(gi * gi, oneMinusBeta2, vi * beta2);
            ref float pi = ref Unsafe.Add(ref p, i);
            pi = MathF.FusedMultiplyAdd(mi / (MathF.Sqrt(vi) / biasCorrection2Sqrt + epsilon), -stepSize, pi);
        }
        return true;
    }
}
