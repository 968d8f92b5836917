using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// relu over a whole tensor for generated code, in large blocks shared across
/// <see cref="KernelThreads"/> (each element is computed alone, so any split gives the same bits).
/// </summary>
public static unsafe class ReluKernels
{
    // Tensors smaller than this stay on the calling thread; a block is at least this long.
    private const int ParallelLength = 1 << 16;

    /// <summary>y = x &lt; 0 ? 0 : x (<see cref="ActivationKernels.Relu"/> block by block); NaN passes through, as torch.relu does.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'y' has {y.Length} values but 'x' has {x.Length}", nameof(y));
        fixed (float* px = x, py = y)
        {
            var job = new ReluJob { X = px, Y = py, Length = x.Length };
            Run(&ForwardBlocks, ref job);
        }
    }

    /// <summary>xGradient += yGradient where x &gt; 0 (PyTorch's threshold_backward: zero elsewhere, NaN included).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> yGradient, Span<float> xGradient)
    {
        if (yGradient.Length != x.Length) throw new ArgumentException($"'yGradient' has {yGradient.Length} values but 'x' has {x.Length}", nameof(yGradient));
        if (xGradient.Length != x.Length) throw new ArgumentException($"'xGradient' has {xGradient.Length} values but 'x' has {x.Length}", nameof(xGradient));
        fixed (float* px = x, pg = yGradient, pd = xGradient)
        {
            var job = new ReluJob { X = px, Y = pg, XGradient = pd, Length = x.Length };
            Run(&BackwardBlocks, ref job);
        }
    }

    private struct ReluJob
    {
        public float* X, Y, XGradient;
        public int Length;
    }

    private static void Run(delegate*<ReluJob*, int, int, void> body, ref ReluJob job)
    {
        fixed (ReluJob* p = &job)
        {
            int blocks = (job.Length + ParallelLength - 1) / ParallelLength;
            int parts = Math.Min(KernelThreads.Parts, blocks);
            if (parts <= 1 || !KernelThreads.TryRun(body, p, blocks, 1, parts)) body(p, 0, blocks);
        }
    }

    private static void ForwardBlocks(ReluJob* job, int startBlock, int endBlock)
    {
        var (start, length) = Range(job, startBlock, endBlock);
        ActivationKernels.Relu(new ReadOnlySpan<float>(job->X + start, length), new Span<float>(job->Y + start, length));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardBlocks(ReluJob* job, int startBlock, int endBlock)
    {
        var (start, length) = Range(job, startBlock, endBlock);
        float* x = job->X + start, g = job->Y + start, d = job->XGradient + start;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= length; i += 16)
            {
                var positive = Vector512.GreaterThan(Vector512.Load(x + i), Vector512<float>.Zero);
                (Vector512.Load(d + i) + (Vector512.Load(g + i) & positive)).Store(d + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= length; i += 8)
            {
                var positive = Vector256.GreaterThan(Vector256.Load(x + i), Vector256<float>.Zero);
                (Vector256.Load(d + i) + (Vector256.Load(g + i) & positive)).Store(d + i);
            }
        }
        for (; i < length; i++)
            if (x[i] > 0f) d[i] += g[i];
    }

    private static (long Start, int Length) Range(ReluJob* job, int startBlock, int endBlock)
    {
        long start = (long)startBlock * ParallelLength;
        long end = Math.Min(job->Length, (long)endBlock * ParallelLength);
        return (start, (int)(end - start));
    }
}
