using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// The exact GELU, x · Φ(x) with Φ(x) = (1 + erf(x / √2)) / 2, and its derivative Φ(x) + x φ(x),
/// over whole tensors for generated code. erf is Abramowitz and Stegun's 7.1.26 (within 1.5e-7:
/// 1 - t (a1 + t (a2 + ...)) e^-z², t = 1 / (1 + p z), z = |x| / √2), and the e^-z² it needs is
/// also φ's e^-x²/2, so the derivative takes one exponential. For x &lt; 0 Φ is the tail
/// t (a1 + ...) e^-z² / 2 itself, not 1 minus something near 1.
/// Sixteen lanes at a time on the AVX-512 path and eight (Vector256) on the AVX2 one, the same operations as the scalar
/// <see cref="Value"/> and <see cref="Derivative"/> that <see cref="ScalarMath"/> and the tails use,
/// so every element has the same bits however the tensor is cut; blocks are shared across
/// <see cref="KernelThreads"/>. A training forward can keep gelu'(x) beside y, so that the backward is one
/// multiply-add per element instead of a second erf and exponential
/// (<see cref="BackwardFromDerivative"/>: the bits of <see cref="Backward"/>).
/// </summary>
public static unsafe class GeluKernels
{
    // Tensors smaller than this stay on the calling thread; a block is this long.
    private const int BlockLength = 1 << 15;
    private const float InverseSqrt2 = 0.70710678f, InverseSqrt2Pi = 0.39894228f;
    private const float P = 0.3275911f;
    private const float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    /// <summary>y = gelu(x).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'y' has {y.Length} values but 'x' has {x.Length}", nameof(y));
        fixed (float* px = x, py = y)
        {
            var job = new Job { X = px, Y = py, Length = x.Length, Path = KernelPath.Current };
            Run(&ForwardBlocks, &job);
        }
    }

    /// <summary>y = gelu(x) and derivative = gelu'(x), from one Φ and one exponential per element.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> derivative)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'y' has {y.Length} values but 'x' has {x.Length}", nameof(y));
        if (derivative.Length != x.Length) throw new ArgumentException($"'derivative' has {derivative.Length} values but 'x' has {x.Length}", nameof(derivative));
        fixed (float* px = x, py = y, pd = derivative)
        {
            var job = new Job { X = px, Y = py, XGradient = pd, Length = x.Length, Path = KernelPath.Current };
            Run(&ForwardKeepingDerivativeBlocks, &job);
        }
    }

    /// <summary>
    /// <see cref="Backward"/> from the derivative a training <see cref="Forward(ReadOnlySpan{float}, Span{float}, Span{float})"/>
    /// kept: xGradient += yGradient · derivative (with <paramref name="overwrite"/>, 0 + yGradient · derivative), the same bits.
    /// </summary>
    public static void BackwardFromDerivative(ReadOnlySpan<float> derivative, ReadOnlySpan<float> yGradient, Span<float> xGradient, bool overwrite = false)
    {
        if (yGradient.Length != derivative.Length) throw new ArgumentException($"'yGradient' has {yGradient.Length} values but 'derivative' has {derivative.Length}", nameof(yGradient));
        if (xGradient.Length != derivative.Length) throw new ArgumentException($"'xGradient' has {xGradient.Length} values but 'derivative' has {derivative.Length}", nameof(xGradient));
        fixed (float* pd = derivative, pg = yGradient, px = xGradient)
        {
            var job = new Job { X = pd, Y = pg, XGradient = px, Length = derivative.Length, Path = KernelPath.Current, Overwrite = overwrite };
            Run(&BackwardFromDerivativeBlocks, &job);
        }
    }

    /// <summary>
    /// xGradient += yGradient · gelu'(x); with <paramref name="overwrite"/>, xGradient = 0 + yGradient · gelu'(x)
    /// (the bits of adding to a cleared gradient, which is then never read).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> yGradient, Span<float> xGradient, bool overwrite = false)
    {
        if (yGradient.Length != x.Length) throw new ArgumentException($"'yGradient' has {yGradient.Length} values but 'x' has {x.Length}", nameof(yGradient));
        if (xGradient.Length != x.Length) throw new ArgumentException($"'xGradient' has {xGradient.Length} values but 'x' has {x.Length}", nameof(xGradient));
        fixed (float* px = x, pg = yGradient, pd = xGradient)
        {
            var job = new Job { X = px, Y = pg, XGradient = pd, Length = x.Length, Path = KernelPath.Current, Overwrite = overwrite };
            Run(&BackwardBlocks, &job);
        }
    }

    /// <summary>gelu(x) for one value: the kernels' own formula.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Value(float x) => x * Cdf(x, out _);

    /// <summary>gelu'(x) = Φ(x) + x φ(x) for one value: the kernels' own formula.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Derivative(float x)
    {
        float cdf = Cdf(x, out float e);
        return MathF.FusedMultiplyAdd(x, e * InverseSqrt2Pi, cdf);
    }

    // Φ(x), and e = e^-z² = e^-x²/2 (rounded as z · z) for φ.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Cdf(float x, out float e)
    {
        float z = MathF.Abs(x) * InverseSqrt2;
        float t = 1f / MathF.FusedMultiplyAdd(P, z, 1f);
        float poly = MathF.FusedMultiplyAdd(A5, t, A4);
        poly = MathF.FusedMultiplyAdd(poly, t, A3);
        poly = MathF.FusedMultiplyAdd(poly, t, A2);
        poly = MathF.FusedMultiplyAdd(poly, t, A1);
        e = SingleExp.Exp(-(z * z));
        float tail = 0.5f * (poly * t * e);
        return x < 0f ? tail : 1f - tail;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Cdf(Vector256<float> x, out Vector256<float> e)
    {
        var z = Vector256.Abs(x) * Vector256.Create(InverseSqrt2);
        var t = Vector256.Create(1f) / Vector256.FusedMultiplyAdd(Vector256.Create(P), z, Vector256.Create(1f));
        var poly = Vector256.FusedMultiplyAdd(Vector256.Create(A5), t, Vector256.Create(A4));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A3));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A2));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A1));
        e = SingleExp.Exp(-(z * z));
        var tail = Vector256.Create(0.5f) * (poly * t * e);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), tail, Vector256.Create(1f) - tail);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Cdf(Vector512<float> x, out Vector512<float> e)
    {
        var z = Vector512.Abs(x) * Vector512.Create(InverseSqrt2);
        var t = Vector512.Create(1f) / Vector512.FusedMultiplyAdd(Vector512.Create(P), z, Vector512.Create(1f));
        var poly = Vector512.FusedMultiplyAdd(Vector512.Create(A5), t, Vector512.Create(A4));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A3));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A2));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(A1));
        e = SingleExp.Exp(-(z * z));
        var tail = Vector512.Create(0.5f) * (poly * t * e);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), tail, Vector512.Create(1f) - tail);
    }

    // gelu'(x) = Φ(x) + x φ(x) from Φ and e = e^-x²/2, as the scalar Derivative computes it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Derivative(Vector256<float> x, Vector256<float> cdf, Vector256<float> e) =>
        Vector256.FusedMultiplyAdd(x, e * Vector256.Create(InverseSqrt2Pi), cdf);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Derivative(Vector512<float> x, Vector512<float> cdf, Vector512<float> e) =>
        Vector512.FusedMultiplyAdd(x, e * Vector512.Create(InverseSqrt2Pi), cdf);

    private struct Job
    {
        public float* X, Y, XGradient;
        public int Length;
        public VectorPath Path;
        public bool Overwrite;
    }

    private static void Run(delegate*<Job*, int, int, void> body, Job* job)
    {
        int blocks = (job->Length + BlockLength - 1) / BlockLength;
        int parts = Math.Min(KernelThreads.Parts, blocks);
        if (parts <= 1 || !KernelThreads.TryRun(body, job, blocks, 1, parts)) body(job, 0, blocks);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardBlocks(Job* job, int startBlock, int endBlock)
    {
        var (start, length) = Range(job, startBlock, endBlock);
        float* x = job->X + start, y = job->Y + start;
        int i = 0;
        if (job->Path == VectorPath.Avx512)
            for (; i + 16 <= length; i += 16)
            {
                var v = Vector512.Load(x + i);
                (v * Cdf(v, out _)).Store(y + i);
            }
        if (job->Path != VectorPath.Portable)
            for (; i + 8 <= length; i += 8)
            {
                var v = Vector256.Load(x + i);
                (v * Cdf(v, out _)).Store(y + i);
            }
        for (; i < length; i++) y[i] = Value(x[i]);
    }

    // Y gets gelu(x) and XGradient gelu'(x).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardKeepingDerivativeBlocks(Job* job, int startBlock, int endBlock)
    {
        var (start, length) = Range(job, startBlock, endBlock);
        float* x = job->X + start, y = job->Y + start, d = job->XGradient + start;
        int i = 0;
        if (job->Path == VectorPath.Avx512)
            for (; i + 16 <= length; i += 16)
            {
                var v = Vector512.Load(x + i);
                var cdf = Cdf(v, out var e);
                (v * cdf).Store(y + i);
                Derivative(v, cdf, e).Store(d + i);
            }
        if (job->Path != VectorPath.Portable)
            for (; i + 8 <= length; i += 8)
            {
                var v = Vector256.Load(x + i);
                var cdf = Cdf(v, out var e);
                (v * cdf).Store(y + i);
                Derivative(v, cdf, e).Store(d + i);
            }
        for (; i < length; i++)
        {
            y[i] = Value(x[i]);
            d[i] = Derivative(x[i]);
        }
    }

    // X holds the kept derivative.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardFromDerivativeBlocks(Job* job, int startBlock, int endBlock)
    {
        var (start, length) = Range(job, startBlock, endBlock);
        float* derivative = job->X + start, g = job->Y + start, d = job->XGradient + start;
        bool overwrite = job->Overwrite;
        int i = 0;
        if (job->Path == VectorPath.Avx512)
            for (; i + 16 <= length; i += 16)
                ((overwrite ? Vector512<float>.Zero : Vector512.Load(d + i)) + Vector512.Load(g + i) * Vector512.Load(derivative + i)).Store(d + i);
        if (job->Path != VectorPath.Portable)
            for (; i + 8 <= length; i += 8)
                ((overwrite ? Vector256<float>.Zero : Vector256.Load(d + i)) + Vector256.Load(g + i) * Vector256.Load(derivative + i)).Store(d + i);
        for (; i < length; i++) d[i] = (overwrite ? 0f : d[i]) + g[i] * derivative[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardBlocks(Job* job, int startBlock, int endBlock)
    {
        var (start, length) = Range(job, startBlock, endBlock);
        float* x = job->X + start, g = job->Y + start, d = job->XGradient + start;
        bool overwrite = job->Overwrite;
        int i = 0;
        if (job->Path == VectorPath.Avx512)
            for (; i + 16 <= length; i += 16)
            {
                var v = Vector512.Load(x + i);
                var cdf = Cdf(v, out var e);
                var derivative = Derivative(v, cdf, e);
                ((overwrite ? Vector512<float>.Zero : Vector512.Load(d + i)) + Vector512.Load(g + i) * derivative).Store(d + i);
            }
        if (job->Path != VectorPath.Portable)
            for (; i + 8 <= length; i += 8)
            {
                var v = Vector256.Load(x + i);
                var cdf = Cdf(v, out var e);
                var derivative = Derivative(v, cdf, e);
                ((overwrite ? Vector256<float>.Zero : Vector256.Load(d + i)) + Vector256.Load(g + i) * derivative).Store(d + i);
            }
        for (; i < length; i++) d[i] = (overwrite ? 0f : d[i]) + g[i] * Derivative(x[i]);
    }

    private static (long Start, int Length) Range(Job* job, int startBlock, int endBlock)
    {
        long start = (long)startBlock * BlockLength;
        long end = Math.Min(job->Length, (long)endBlock * BlockLength);
        return (start, (int)(end - start));
    }
}
