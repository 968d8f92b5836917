using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// sigmoid and tanh over whole tensors for generated code, and their backward passes from the
/// forward values (σ' = σ (1 - σ), tanh' = 1 - tanh²).
/// sigmoid takes e = e^-|x| (<see cref="SingleExp"/>, never overflowing) and returns 1 / (1 + e)
/// for x ≥ 0 and e / (1 + e) below, as <see cref="ScalarMath.Sigmoid"/> always has. tanh is
/// Cephes' tanhf, on |x| with x's sign put back: an odd polynomial below |x| = 0.625, where 1 - 2 / (e^2|x| + 1) would lose the
/// small result to cancellation, and that form above (within 2 ulp of the exact value).
/// Eight lanes at a time (Vector256, accelerated on both vector paths) with the same operations
/// as the scalar <see cref="Sigmoid"/> and <see cref="Tanh"/> that <see cref="ScalarMath"/> and the
/// tails use, so every element has the same bits however the tensor is cut; blocks are shared
/// across <see cref="KernelThreads"/>.
/// </summary>
public static unsafe class SigmoidTanhKernels
{
    // Tensors smaller than this stay on the calling thread; a block is this long.
    private const int BlockLength = 1 << 15;
    private const float PolynomialLimit = 0.625f;
    private const float T4 = -5.70498872745e-3f, T3 = 2.06390887954e-2f, T2 = -5.37397155531e-2f, T1 = 1.33314422036e-1f, T0 = -3.33332819422e-1f;

    /// <summary>sigmoid(x) for one value: the kernels' own formula.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x)
    {
        float e = SingleExp.Exp(-MathF.Abs(x));
        float d = 1f + e;
        return x >= 0f ? 1f / d : e / d;
    }

    /// <summary>tanh(x) for one value: the kernels' own formula.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        float a = MathF.Abs(x);
        float z = x * x;
        float p = MathF.FusedMultiplyAdd(T4, z, T3);
        p = MathF.FusedMultiplyAdd(p, z, T2);
        p = MathF.FusedMultiplyAdd(p, z, T1);
        p = MathF.FusedMultiplyAdd(p, z, T0);
        float small = MathF.FusedMultiplyAdd(p * z, a, a);
        float large = 1f - 2f / (SingleExp.Exp(a + a) + 1f);
        return MathF.CopySign(a < PolynomialLimit ? small : large, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var e = SingleExp.Exp(-Vector256.Abs(x));
        var d = Vector256.Create(1f) + e;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256.Create(1f) / d, e / d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh(Vector256<float> x)
    {
        var a = Vector256.Abs(x);
        var z = x * x;
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(T4), z, Vector256.Create(T3));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(T2));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(T1));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(T0));
        var small = Vector256.FusedMultiplyAdd(p * z, a, a);
        var large = Vector256.Create(1f) - Vector256.Create(2f) / (SingleExp.Exp(a + a) + Vector256.Create(1f));
        // Both forms are ≥ 0 (or NaN), so or-ing in x's sign bit is CopySign.
        var sign = x & Vector256.Create(-0f);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(PolynomialLimit)), small, large) | sign;
    }

    /// <summary>y = sigmoid(x).</summary>
    public static void SigmoidForward(ReadOnlySpan<float> x, Span<float> y) => Forward(x, y, tanh: false);

    /// <summary>y = tanh(x).</summary>
    public static void TanhForward(ReadOnlySpan<float> x, Span<float> y) => Forward(x, y, tanh: true);

    /// <summary>xGradient += yGradient · y · (1 - y), y = sigmoid(x) the forward values.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> yGradient, Span<float> xGradient) => Backward(y, yGradient, xGradient, tanh: false);

    /// <summary>xGradient += yGradient · (1 - y²), y = tanh(x) the forward values.</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> yGradient, Span<float> xGradient) => Backward(y, yGradient, xGradient, tanh: true);

    private static void Forward(ReadOnlySpan<float> x, Span<float> y, bool tanh)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'y' has {y.Length} values but 'x' has {x.Length}", nameof(y));
        fixed (float* px = x, py = y)
        {
            var job = new Job { X = px, Y = py, Length = x.Length, Tanh = tanh };
            Run(&ForwardBlocks, &job);
        }
    }

    private static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> yGradient, Span<float> xGradient, bool tanh)
    {
        if (yGradient.Length != y.Length) throw new ArgumentException($"'yGradient' has {yGradient.Length} values but 'y' has {y.Length}", nameof(yGradient));
        if (xGradient.Length != y.Length) throw new ArgumentException($"'xGradient' has {xGradient.Length} values but 'y' has {y.Length}", nameof(xGradient));
        fixed (float* py = y, pg = yGradient, pd = xGradient)
        {
            var job = new Job { Y = py, YGradient = pg, XGradient = pd, Length = y.Length, Tanh = tanh };
            Run(&BackwardBlocks, &job);
        }
    }

    private struct Job
    {
        public float* X, Y, YGradient, XGradient;
        public int Length;
        public bool Tanh;
    }

    private static void Run(delegate*<Job*, int, int, void> body, Job* job)
    {
        int blocks = (job->Length + BlockLength - 1) / BlockLength;
        int parts = Math.Min(KernelThreads.Parts, blocks);
        if (parts <= 1 || !KernelThreads.TryRun(body, job, blocks, 1, parts)) body(job, 0, blocks);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (long Start, int Length) Range(Job* job, int startBlock, int endBlock)
    {
        long start = (long)startBlock * BlockLength;
        return (start, (int)(Math.Min(job->Length, (long)endBlock * BlockLength) - start));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardBlocks(Job* job, int startBlock, int endBlock)
    {
        var (start, length) = Range(job, startBlock, endBlock);
        float* x = job->X + start, y = job->Y + start;
        int i = 0;
        if (job->Tanh)
        {
            for (; i + 8 <= length; i += 8) Tanh(Vector256.Load(x + i)).Store(y + i);
            for (; i < length; i++) y[i] = Tanh(x[i]);
        }
        else
        {
            for (; i + 8 <= length; i += 8) Sigmoid(Vector256.Load(x + i)).Store(y + i);
            for (; i < length; i++) y[i] = Sigmoid(x[i]);
        }
    }

    // The generated scalar loops' order: gx + (g · y) · (1 - y) for sigmoid, gx + g · (1 - y · y) for tanh.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardBlocks(Job* job, int startBlock, int endBlock)
    {
        var (start, length) = Range(job, startBlock, endBlock);
        float* y = job->Y + start, g = job->YGradient + start, gx = job->XGradient + start;
        var one = Vector256.Create(1f);
        int i = 0;
        if (job->Tanh)
        {
            for (; i + 8 <= length; i += 8)
            {
                var v = Vector256.Load(y + i);
                (Vector256.Load(gx + i) + Vector256.Load(g + i) * (one - v * v)).Store(gx + i);
            }
            for (; i < length; i++) gx[i] += g[i] * (1f - y[i] * y[i]);
        }
        else
        {
            for (; i + 8 <= length; i += 8)
            {
                var v = Vector256.Load(y + i);
                (Vector256.Load(gx + i) + Vector256.Load(g + i) * v * (one - v)).Store(gx + i);
            }
            for (; i < length; i++) gx[i] += g[i] * y[i] * (1f - y[i]);
        }
    }
}
