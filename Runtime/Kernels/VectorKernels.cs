using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Whole-tensor reductions and updates for generated code, so that it needs no reference to
/// System.Numerics.Tensors of its own: thin names over TensorPrimitives.
/// </summary>
public static unsafe class VectorKernels
{
    // Up to this many values a sum of squares is one TensorPrimitives pass on the calling thread.
    private const int SumBlock = 8192;
    // At most this many blocks: longer spans get longer blocks, so the partial sums fit on the stack.
    private const int MaxSumBlocks = 256;

    /// <summary>
    /// sum of x[i]^2 (an l2 penalty, a gradient norm). Up to 8,192 values it is
    /// TensorPrimitives.SumOfSquares; a longer span is cut into blocks fixed by its length alone,
    /// each summed by TensorPrimitives (the blocks shared with the <see cref="KernelThreads"/>
    /// workers), and the block sums are added in order, so the result does not depend on the thread count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SumOfSquares(ReadOnlySpan<float> x)
    {
        int n = x.Length;
        if (n <= SumBlock) return TensorPrimitives.SumOfSquares(x);
        int block = Math.Max(SumBlock, ((n + MaxSumBlocks - 1) / MaxSumBlocks + 15) & ~15);
        int blocks = (n + block - 1) / block;
        float* sums = stackalloc float[blocks];
        fixed (float* px = x)
        {
            var job = new SumJob { X = px, Length = n, Block = block, Sums = sums };
            // Four blocks and more are worth a worker's wake-up.
            int parts = blocks < 4 ? 1 : Math.Min(KernelThreads.Parts, blocks);
            if (parts <= 1 || !KernelThreads.TryRun(&SumBlocks, &job, blocks, 1, parts)) SumBlocks(&job, 0, blocks);
        }
        float total = 0f;
        for (int b = 0; b < blocks; b++) total += sums[b];
        return total;
    }

    // A span for the block jobs: its start and length (and, for sums, the block length and the block sums).
    private struct SumJob
    {
        public float* X, Sums;
        public int Length, Block;
    }

    private static void SumBlocks(SumJob* job, int start, int end)
    {
        for (int b = start; b < end; b++)
        {
            long from = (long)b * job->Block;
            job->Sums[b] = TensorPrimitives.SumOfSquares(new ReadOnlySpan<float>(job->X + from, (int)Math.Min(job->Block, job->Length - from)));
        }
    }

    // Clears of at least this many floats (256 KB) are shared with the kernel workers.
    private const int ParallelClearMinimum = 1 << 16;
    // Chunk boundaries of a shared clear: 16 KB, whole cache lines.
    private const int ClearGranule = 4096;

    /// <summary>
    /// x[i] = 0: a training step's gradient arenas before the backward pass accumulates into them
    /// (LeNet's is 4 MB at batch 64), shared with the <see cref="KernelThreads"/> workers when long.
    /// </summary>
    public static void Clear(Span<float> x)
    {
        if (x.Length < ParallelClearMinimum || KernelThreads.Parts <= 1)
        {
            x.Clear();
            return;
        }
        fixed (float* px = x)
        {
            var job = new SumJob { X = px, Length = x.Length };
            int parts = Math.Min(KernelThreads.Parts, (x.Length + ClearGranule - 1) / ClearGranule);
            if (!KernelThreads.TryRun(&ClearRange, &job, x.Length, ClearGranule, parts)) x.Clear();
        }
    }

    private static void ClearRange(SumJob* job, int start, int end) => new Span<float>(job->X + start, end - start).Clear();

    /// <summary>sum of |x[i]| (an l1 penalty).</summary>
    public static float SumOfMagnitudes(ReadOnlySpan<float> x) => TensorPrimitives.SumOfMagnitudes(x);

    /// <summary>
    /// result[i] = x[i] + y[i] (an add of two tensors of one shape, such as a residual connection);
    /// long ones are shared with the <see cref="KernelThreads"/> workers, as <see cref="Clear"/> is.
    /// </summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'y' has {y.Length} values but 'x' has {x.Length}", nameof(y));
        if (result.Length != x.Length) throw new ArgumentException($"'result' has {result.Length} values but 'x' has {x.Length}", nameof(result));
        if (x.Length < ParallelClearMinimum || KernelThreads.Parts <= 1)
        {
            TensorPrimitives.Add(x, y, result);
            return;
        }
        fixed (float* px = x, py = y, pr = result)
        {
            var job = new AddJob { X = px, Y = py, Result = pr };
            int parts = Math.Min(KernelThreads.Parts, (x.Length + ClearGranule - 1) / ClearGranule);
            if (!KernelThreads.TryRun(&AddRange, &job, x.Length, ClearGranule, parts)) TensorPrimitives.Add(x, y, result);
        }
    }

    /// <summary>y[i] += x[i] (a gradient flowing unchanged into an operand of an add), shared like <see cref="Add"/>.</summary>
    public static void AddTo(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'y' has {y.Length} values but 'x' has {x.Length}", nameof(y));
        Add(y, x, y);
    }

    /// <summary>result[r, i] = x[r, i] + row[i] for each of the rows (a batch-wide tensor added to every example's).</summary>
    public static void AddRow(ReadOnlySpan<float> x, ReadOnlySpan<float> row, Span<float> result, int rows)
    {
        int n = row.Length;
        if (x.Length < (long)rows * n) throw new ArgumentException($"'x' has {x.Length} values but {rows} rows of {n} need {(long)rows * n}", nameof(x));
        if (result.Length < (long)rows * n) throw new ArgumentException($"'result' has {result.Length} values but {rows} rows of {n} need {(long)rows * n}", nameof(result));
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(x.Slice(r * n, n), row, result.Slice(r * n, n));
    }

    /// <summary>
    /// table[ids[p], :] rows into output[p, :] for every pick p (an embedding): each row copied whole.
    /// </summary>
    public static void GatherRows(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, Span<float> output, int picks, int rowSize)
    {
        if (ids.Length < picks) throw new ArgumentException($"'ids' has {ids.Length} values but there are {picks} picks", nameof(ids));
        if (output.Length < (long)picks * rowSize) throw new ArgumentException($"'output' has {output.Length} values but {picks} rows of {rowSize} need {(long)picks * rowSize}", nameof(output));
        int rowCount = table.Length / rowSize;
        for (int p = 0; p < picks; p++)
        {
            int id = ids[p];
            if ((uint)id >= (uint)rowCount) throw new ArgumentOutOfRangeException(nameof(ids), id, $"the table has {rowCount} rows");
            table.Slice(id * rowSize, rowSize).CopyTo(output.Slice(p * rowSize, rowSize));
        }
    }

    /// <summary>
    /// tableGradient[ids[p], :] += outputGradient[p, :] for every pick p in order, so a row picked
    /// twice receives both contributions in pick order, as the generator's loop adds them.
    /// </summary>
    public static void ScatterAddRows(ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> ids, Span<float> tableGradient, int picks, int rowSize)
    {
        if (ids.Length < picks) throw new ArgumentException($"'ids' has {ids.Length} values but there are {picks} picks", nameof(ids));
        if (outputGradient.Length < (long)picks * rowSize) throw new ArgumentException($"'outputGradient' has {outputGradient.Length} values but {picks} rows of {rowSize} need {(long)picks * rowSize}", nameof(outputGradient));
        int rowCount = tableGradient.Length / rowSize;
        for (int p = 0; p < picks; p++)
        {
            int id = ids[p];
            if ((uint)id >= (uint)rowCount) throw new ArgumentOutOfRangeException(nameof(ids), id, $"the table has {rowCount} rows");
            var destination = tableGradient.Slice(id * rowSize, rowSize);
            TensorPrimitives.Add(destination, outputGradient.Slice(p * rowSize, rowSize), destination);
        }
    }

    private struct AddJob
    {
        public float* X, Y, Result;
    }

    private static void AddRange(AddJob* job, int start, int end) =>
        TensorPrimitives.Add(new ReadOnlySpan<float>(job->X + start, end - start), new ReadOnlySpan<float>(job->Y + start, end - start), new Span<float>(job->Result + start, end - start));

    /// <summary>y[i] += scale * x[i] (x[i] * scale, rounded, then the sum, rounded: no fused multiply-add).</summary>
    /// <remarks>
    /// Its own loop rather than TensorPrimitives.MultiplyAdd(x, scale, y, y), which gives the same
    /// bits but measured 7x slower here (70 us against 10 us for an l2 penalty's gradient over
    /// FashionMlp's 108,544 weights: a third of the non-product time of a training step). Long ones
    /// are shared with the <see cref="KernelThreads"/> workers, as <see cref="Add"/> is; each element
    /// is computed alone, so the bits do not depend on the split.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaled(ReadOnlySpan<float> x, float scale, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'y' has {y.Length} values but 'x' has {x.Length}", nameof(y));
        fixed (float* px = x, py = y)
        {
            var job = new ScaledJob { X = px, Y = py, Scale = scale };
            int parts = x.Length < ParallelClearMinimum ? 1 : Math.Min(KernelThreads.Parts, (x.Length + ClearGranule - 1) / ClearGranule);
            if (parts <= 1 || !KernelThreads.TryRun(&AddScaledRange, &job, x.Length, ClearGranule, parts)) AddScaledRange(&job, 0, x.Length);
        }
    }

    private struct ScaledJob
    {
        public float* X, Y;
        public float Scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaledRange(ScaledJob* job, int start, int end)
    {
        ref float xs = ref Unsafe.AsRef<float>(job->X + start);
        ref float ys = ref Unsafe.AsRef<float>(job->Y + start);
        float scale = job->Scale;
        int n = end - start, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; i + 16 <= n; i += 16)
                (Vector512.LoadUnsafe(ref ys, (nuint)i) + Vector512.LoadUnsafe(ref xs, (nuint)i) * s).StoreUnsafe(ref ys, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i + 8 <= n; i += 8)
                (Vector256.LoadUnsafe(ref ys, (nuint)i) + Vector256.LoadUnsafe(ref xs, (nuint)i) * s).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ys, i) += Unsafe.Add(ref xs, i) * scale;
    }
}
