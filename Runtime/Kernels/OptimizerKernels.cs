using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Optimizer updates fused into one pass over the parameters: Adam's nine elementwise passes read
/// and write about 24 arrays' worth of memory, the fused loop 7, which is most of a small model's
/// step once the products are fast. Long updates are shared with the <see cref="KernelThreads"/>
/// workers in chunks of whole vectors: each element is updated by the same operations on any
/// thread, so the results do not depend on the thread count.
/// </summary>
internal static unsafe class OptimizerKernels
{
    // Updates of fewer parameters than this stay on the calling thread (about 8 µs of Adam here).
    private const int ParallelThreshold = 1 << 14;
    // Chunk boundaries fall on whole 16-float vectors, so only the last chunk has a scalar tail, as one pass has.
    private const int Granule = 16;

    private struct AdamJob
    {
        public float* P, G, M, V;
        public float OneMinusBeta1, Keep1, Beta2, OneMinusBeta2, StepSize, Correction, Epsilon;
        public VectorPath Path;
    }

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
        if (n == 0) return true;
        fixed (float* p = parameters, g = gradients, m = firstMoment, v = secondMoment)
        {
            var job = new AdamJob
            {
                P = p, G = g, M = m, V = v, OneMinusBeta1 = oneMinusBeta1, Keep1 = 1f - oneMinusBeta1, Beta2 = beta2, OneMinusBeta2 = oneMinusBeta2,
                StepSize = stepSize, Correction = biasCorrection2Sqrt, Epsilon = epsilon, Path = path,
            };
            int parts = n < ParallelThreshold ? 1 : Math.Min(KernelThreads.Parts, (n + Granule - 1) / Granule);
            if (parts <= 1 || !KernelThreads.TryRun(&AdamRange, &job, n, Granule, parts)) AdamRange(&job, 0, n);
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AdamRange(AdamJob* job, int start, int end)
    {
        float* p = job->P, g = job->G, m = job->M, v = job->V;
        float oneMinusBeta1 = job->OneMinusBeta1, keep1 = job->Keep1, beta2 = job->Beta2, oneMinusBeta2 = job->OneMinusBeta2;
        float stepSize = job->StepSize, biasCorrection2Sqrt = job->Correction, epsilon = job->Epsilon;
        int i = start;
        if (job->Path == VectorPath.Avx512)
        {
            var a1 = Vector512.Create(oneMinusBeta1);
            var k1 = Vector512.Create(keep1);
            var b2 = Vector512.Create(beta2);
            var a2 = Vector512.Create(oneMinusBeta2);
            var step = Vector512.Create(-stepSize);
            var correction = Vector512.Create(biasCorrection2Sqrt);
            var eps = Vector512.Create(epsilon);
            for (; i + 16 <= end; i += 16)
            {
                var gi = Vector512.Load(g + i);
                var mi = Vector512.Load(m + i);
                mi = (mi * k1) + (gi * a1);
                var vi = (gi * gi * a2) + (Vector512.Load(v + i) * b2);
                var update = mi / (Vector512.Sqrt(vi) / correction + eps);
                mi.Store(m + i);
                vi.Store(v + i);
                ((update * step) + Vector512.Load(p + i)).Store(p + i);
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
            for (; i + 8 <= end; i += 8)
            {
                var gi = Vector256.Load(g + i);
                var mi = Vector256.Load(m + i);
                mi = (mi * k1) + (gi * a1);
                var vi = (gi * gi * a2) + (Vector256.Load(v + i) * b2);
                var update = mi / (Vector256.Sqrt(vi) / correction + eps);
                mi.Store(m + i);
                vi.Store(v + i);
                ((update * step) + Vector256.Load(p + i)).Store(p + i);
            }
        }
        for (; i < end; i++)
        {
            float gi = g[i];
            float mi = m[i] = MathF.FusedMultiplyAdd(m[i], keep1, gi * oneMinusBeta1);
            float vi = v[i] = MathF.FusedMultiplyAdd(gi * gi, oneMinusBeta2, v[i] * beta2);
            p[i] = MathF.FusedMultiplyAdd(mi / (MathF.Sqrt(vi) / biasCorrection2Sqrt + epsilon), -stepSize, p[i]);
        }
    }
}
