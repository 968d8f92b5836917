using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// conv2d forward and backward passes for generated code, over a whole batch laid out [batch, size].
/// Every kernel tap (c, kh, kw) is one row of a [Taps, Columns] matrix, and the convolution becomes
/// products with the weight [Filters, Taps]: out = bias + W·taps forward; dW += g·tapsᵀ, db += row
/// sums of g and dtaps = Wᵀ·g backward, added back into dx. At stride 1 the tap rows are read
/// straight from the image, or from a zero-padded copy of it (see
/// <see cref="Conv2dGeometry.ReadsImageDirectly"/>); other strides copy them into an im2col matrix
/// [Taps, Pixels] first and col2im adds its gradient back. Each example's matrices stay in cache
/// from the copy to the product.
/// </summary>
/// <remarks>
/// Examples are shared across <see cref="KernelThreads"/>. The forward pass treats each example on
/// its own. The backward pass cuts the batch into fixed groups of <see cref="GroupSize"/> examples
/// (whatever the thread count), sums each group's weight and bias gradient into the group's own
/// partial, and adds the partials in group order: the gradients are bit-identical at any thread count.
/// With AVX-512 the products run register-blocked Vector512 kernels, with AVX2+FMA Vector256 ones
/// (6 x 16 blocks of the output in 12 registers); otherwise plain loops.
/// </remarks>
public static unsafe class ConvKernels
{
    /// <summary>Examples per backward group: each group owns one weight-gradient partial.</summary>
    public const int GroupSize = 8;

    // Batches with fewer multiply-adds than this stay on the calling thread: waking a worker costs more.
    private const long ParallelThreshold = 1L << 17;

    // 16 zero words then 16 all-ones words: loading 16 from index r keeps the last r lanes.
    private static readonly uint[] s_tailMask =
    {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue,
        uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue,
    };

    /// <summary>
    /// output = conv2d(input, weight) + bias for every example, keeping each example's padded image
    /// or im2col matrix in scratch ([batch, g.ScratchSize]) for <see cref="Backward"/>. An empty bias
    /// means none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> scratch, int batch, in Conv2dGeometry g)
        => Forward(input, weight, bias, output, default, scratch, batch, g);

    /// <summary>
    /// <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, in Conv2dGeometry)"/>,
    /// and relu of the output (<see cref="ActivationKernels.Relu"/>'s bits) into <paramref name="relu"/> when it
    /// is not empty: each example's values are still in cache, where a separate pass over the batch's
    /// outputs (LeNet's conv1: 1.2 MB at batch 64) reads them back from memory. With a relu, an empty
    /// output writes only the relu's values (for a convolution nothing else reads).
    /// </summary>
    /// <remarks>
    /// With <paramref name="packed"/> (inference under ReusePackedWeights) a weight the pixel blocks read
    /// by tap is transposed into its slot once per parameter version, as the dense layers pack theirs.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> output, Span<float> relu, Span<float> scratch, int batch, in Conv2dGeometry g,
        PackedWeights? packed = null, int slot = 0, long version = 0)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be >= 0");
        if (!relu.IsEmpty) CheckExtent(relu.Length, (long)batch * g.OutputSize, nameof(relu));
        // An empty output beside a relu: only the relu's values are wanted.
        bool outputs = !output.IsEmpty || relu.IsEmpty;
        CheckExtent(input.Length, (long)batch * g.InputSize, nameof(input));
        CheckExtent(weight.Length, g.WeightSize, nameof(weight));
        if (!bias.IsEmpty) CheckExtent(bias.Length, g.Filters, nameof(bias));
        if (outputs) CheckExtent(output.Length, (long)batch * g.OutputSize, nameof(output));
        CheckExtent(scratch.Length, (long)batch * g.ScratchSize, nameof(scratch));
        if (batch == 0) return;
        Span<int> rows = g.Taps + g.Filters <= MaxStackRows ? stackalloc int[g.Taps + g.Filters] : new int[g.Taps + g.Filters];
        FillRowOffsets(rows, g);
        fixed (float* px = input, pw = weight, pb = bias, po = output, pu = relu, ps = scratch)
        fixed (int* pr = rows)
        {
            var job = new ConvJob { X = px, W = pw, Bias = bias.IsEmpty ? null : pb, Out = outputs ? po : null, Relu = relu.IsEmpty ? null : pu, Scratch = ps, Batch = batch, Geometry = g, TapRows = pr, FilterRows = pr + g.Taps };
            if (UsesPixelBlocks(KernelPath.Current, g))
            {
                job.WeightByTap = WeightByTap(pw, ps, g, packed, slot, version);
                if (batch == 1 && KernelThreads.Parts > 1 && g.OutputHeight >= 2 && (long)g.OutputSize * g.Taps >= SplitThreshold)
                {
                    ForwardOneExampleByRows(&job);
                    return;
                }
            }
            else if (batch == 1 && KernelThreads.Parts > 1 && ProductsByOutputRow(KernelPath.Current, g) && g.OutputHeight >= 2 && (long)g.OutputSize * g.Taps >= SplitThreshold)
            {
                ForwardOneExampleByRows(&job);
                return;
            }
            else if (batch == 1 && g.ReadsImageDirectly && g.Columns >= 64 && KernelThreads.Parts > 1 && (long)g.Filters * g.Columns * g.Taps >= SplitThreshold)
            {
                ForwardOneExampleInHalves(&job);
                return;
            }
            Run(&ForwardExamples, ref job, batch, (long)batch * g.OutputSize * g.Taps);
        }
    }

    /// <summary>
    /// pooled = maxpool2d(relu(conv2d(input, weight) + bias)) over windows of <paramref name="window"/>
    /// moved by <paramref name="stride"/> (disjoint: stride &gt;= window), the bits of <see cref="Forward"/>
    /// with a relu followed by <see cref="PoolKernels.MaxForward"/>, for inference, which keeps neither the
    /// convolution's values nor the relu's. 2 x 2 windows by 2 on the AVX2 row paths (pixel blocks,
    /// products by output row) pool each pair of output rows while it is in cache, so the relu's values
    /// never leave a small stack tile and the pool is no pass of its own (at batch 1 the two pools were about
    /// 1.2 us of LeNet's 15 us); batch 1 then splits the output rows across threads, writing to
    /// <paramref name="relu"/> (room for [batch, g.OutputSize]) the one row pair the threads share. Other
    /// shapes and paths write all of relu and pool it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardReluMaxPool(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> relu, Span<float> pooled, Span<float> scratch, int batch, in Conv2dGeometry g, int window, int stride,
        PackedWeights? packed = null, int slot = 0, long version = 0)
    {
        if (window > stride) throw new ArgumentOutOfRangeException(nameof(window), window, "the pooling windows must not overlap (window <= stride)");
        if (!PoolsRowPairs(KernelPath.Current, g, window, stride))
        {
            Forward(input, weight, bias, default, relu, scratch, batch, g, packed, slot, version);
            PoolKernels.MaxForward(relu, pooled, batch, g.Filters, g.OutputHeight, g.OutputWidth, window, stride);
            return;
        }
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be >= 0");
        CheckExtent(input.Length, (long)batch * g.InputSize, nameof(input));
        CheckExtent(weight.Length, g.WeightSize, nameof(weight));
        if (!bias.IsEmpty) CheckExtent(bias.Length, g.Filters, nameof(bias));
        CheckExtent(relu.Length, (long)batch * g.OutputSize, nameof(relu));
        CheckExtent(pooled.Length, (long)batch * g.Filters * (g.OutputHeight / 2) * (g.OutputWidth / 2), nameof(pooled));
        CheckExtent(scratch.Length, (long)batch * g.ScratchSize, nameof(scratch));
        if (batch == 0) return;
        Span<int> rows = g.Taps + g.Filters <= MaxStackRows ? stackalloc int[g.Taps + g.Filters] : new int[g.Taps + g.Filters];
        FillRowOffsets(rows, g);
        fixed (float* px = input, pw = weight, pb = bias, pu = relu, pp = pooled, ps = scratch)
        fixed (int* pr = rows)
        {
            var job = new ConvJob { X = px, W = pw, Bias = bias.IsEmpty ? null : pb, Pooled = pp, Scratch = ps, Batch = batch, Geometry = g, TapRows = pr, FilterRows = pr + g.Taps };
            if (UsesPixelBlocks(KernelPath.Current, g)) job.WeightByTap = WeightByTap(pw, ps, g, packed, slot, version);
            int pooledRows = g.OutputHeight / 2;
            if (batch == 1 && KernelThreads.Parts > 1 && pooledRows >= 2 && (long)g.OutputSize * g.Taps >= SplitThreshold)
            {
                job.Path = KernelPath.Current;
                job.Image = job.X;
                job.Relu = pu;
                if (g.NeedsPaddedCopy) { PadImage(job.X, job.Scratch, g); job.Image = job.Scratch; }
                // The output rows are cut in two, not the pooled rows, so that an odd number of pooled rows
                // (LeNet's conv2: 5, which split 3 and 2) still gives both threads the same work.
                if (!KernelThreads.TryRun(&PooledOutputRowsOfOne, &job, 2 * pooledRows, 1, 2, chunksPerPart: 1)) PooledRows(&job, job.Image, job.Pooled, 0, pooledRows);
                return;
            }
            Run(&ForwardExamples, ref job, batch, (long)batch * g.OutputSize * g.Taps);
        }
    }

    // 2 x 2 windows by 2 over the outputs of a row path; a pixel block row pair fits in a stack tile.
    private static bool PoolsRowPairs(VectorPath path, in Conv2dGeometry g, int window, int stride) =>
        window == 2 && stride == 2 && g.OutputHeight >= 2 &&
        ((UsesPixelBlocks(path, g) && g.OutputWidth <= MaxPooledBlockWidth) || ProductsByOutputRow(path, g));

    // The widest output row whose pair of pixel-block rows (2 x width x 16 floats) is a stack tile: 8 KB.
    private const int MaxPooledBlockWidth = 64;

    /// <summary>
    /// The weight as [Taps, Filters] for the pixel blocks: the slot's copy with <paramref name="packed"/>,
    /// else transposed into the first example's partial room, which only Backward's gradient arena
    /// uses: every thread reads it, and no example's forward pass writes there.
    /// </summary>
    private static float* WeightByTap(float* weight, float* scratch, in Conv2dGeometry g, PackedWeights? packed, int slot, long version)
    {
        if (packed is not null) return packed.ByTap(slot, weight, g.Filters, g.Taps, version);
        float* byTap = scratch + g.PartialOffset;
        ToFilterLanes(weight, byTap, g.Filters, g.Taps);
        return byTap;
    }

    /// <summary>
    /// Output rows [r0, r1) of one example's maxpool(relu(conv)) by 2 x 2 windows, one of the two chunks
    /// a batch-1 call is cut into: the row pairs inside the chunk are pooled as <see cref="PooledRows"/>
    /// pools them. A pair cut by the chunks' boundary has each of its rows' relu values written to the
    /// relu room by its own chunk, and the chunk that finishes its row second pools the pair (two
    /// chunks: at most one such pair). Every value is computed as on one thread, so the bits are too.
    /// </summary>
    private static void PooledOutputRowsOfOne(ConvJob* job, int r0, int r1)
    {
        int p0 = (r0 + 1) / 2, p1 = r1 / 2;
        if (p0 < p1) PooledRows(job, job->Image, job->Pooled, p0, p1);
        if (r0 % 2 == 1) SharedPairRow(job, r0);
        if (r1 % 2 == 1) SharedPairRow(job, r1 - 1);
    }

    // One row of the pair two chunks share, to the relu room; the second of the two pools the pair
    // (the interlocked increment orders the first one's stores before the second one's reads).
    private static void SharedPairRow(ConvJob* job, int row)
    {
        OutputRowsOfOne(job, row, row + 1);
        if (Interlocked.Increment(ref job->SharedPairRows) < 2) return;
        ref readonly var g = ref job->Geometry;
        int outputWidth = g.OutputWidth, pixels = g.Pixels, pooledWidth = outputWidth / 2, pooledPlane = g.OutputHeight / 2 * pooledWidth, pair = row / 2;
        for (int f = 0; f < g.Filters; f++)
        {
            float* top = job->Relu + (long)f * pixels + 2 * pair * outputWidth;
            PoolKernels.MaxPairs(top, top + outputWidth, job->Pooled + (long)f * pooledPlane + pair * pooledWidth, pooledWidth);
        }
    }

    /// <summary>
    /// Pooled rows [p0, p1) of one example's maxpool(relu(conv)) over 2 x 2 windows by 2, each pair of
    /// output rows pooled as it is computed (the same bits whichever row path takes them: each sum is
    /// its bias and taps in tap order by FMA, the pool as <see cref="PoolKernels.MaxForward"/> takes
    /// it: the rows' maximum, then each pair's).
    /// The products by output row take six filters by 16 columns of the top row, then of the bottom
    /// one, in the 12 FMA chains of <see cref="Rows6x16"/> (two rows of two filters at once were 8
    /// chains, too few to hide the FMA latency), each block's relu in a stack tile; the pixel blocks
    /// pool from a tile of whole rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PooledRows(ConvJob* job, float* image, float* pooled, int p0, int p1)
    {
        ref readonly var g = ref job->Geometry;
        if (job->WeightByTap != null && g.OutputWidth <= MaxPooledBlockWidth)
        {
            PooledPixelBlockRows(job, image, pooled, p0, p1);
            return;
        }
        int pooledWidth = g.OutputWidth / 2, pooledPlane = g.OutputHeight / 2 * pooledWidth, taps = g.Taps, width = g.PaddedWidth;
        float* inits = stackalloc float[6];
        // [filter, column] relu values of the top row's block, then the bottom row's.
        float* top = stackalloc float[2 * 6 * 16], bottom = top + 6 * 16;
        for (int f = 0; f < g.Filters; f += 6)
        {
            int count = Math.Min(6, g.Filters - f);
            for (int r = 0; r < 6; r++) inits[r] = job->Bias == null || r >= count ? 0f : job->Bias[f + r];
            float* weight = job->W + (long)f * taps;
            for (int p = p0; p < p1; p++)
            {
                float* rows = image + (long)2 * p * width;
                // Eight pooled values (16 output columns) at a time; the last eight may overlap the previous ones.
                for (int j = 0; j < pooledWidth; j += 8)
                {
                    int at = Math.Min(j, pooledWidth - 8);
                    Rows6x16(weight, taps, 1, rows + 2 * at, job->TapRows, top, 16, taps, inits, count, relu: true);
                    Rows6x16(weight, taps, 1, rows + width + 2 * at, job->TapRows, bottom, 16, taps, inits, count, relu: true);
                    float* target = pooled + (long)f * pooledPlane + (long)p * pooledWidth + at;
                    for (int r = 0; r < count; r++, target += pooledPlane)
                    {
                        var low = Vector256.Max(Vector256.Load(top + r * 16), Vector256.Load(bottom + r * 16));
                        var high = Vector256.Max(Vector256.Load(top + r * 16 + 8), Vector256.Load(bottom + r * 16 + 8));
                        PoolKernels.PairMaxima(low, high).Store(target);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="PooledRows"/> on the pixel blocks: both output rows of a pair as [row, pixel, filter]
    /// relu values in a stack tile, each window's maximum of 16 filters in two vectors (the rows' maximum,
    /// then the columns', as <see cref="PoolKernels.MaxForward"/> takes it), stored by filter plane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PooledPixelBlockRows(ConvJob* job, float* image, float* pooled, int p0, int p1)
    {
        ref readonly var g = ref job->Geometry;
        int ow_ = g.OutputWidth, filters = g.Filters, width = g.PaddedWidth;
        int pooledWidth = ow_ / 2, pooledPlane = g.OutputHeight / 2 * pooledWidth;
        float* pair = stackalloc float[2 * MaxPooledBlockWidth * 16];
        float* best = stackalloc float[MaxPooledBlockWidth / 2 * 16];
        for (int f = 0; f < filters; f += 16)
        {
            float* weight = job->WeightByTap + f;
            float* bias = job->Bias == null ? null : job->Bias + f;
            for (int p = p0; p < p1; p++)
            {
                for (int r = 0; r < 2; r++)
                    for (int ow = 0; ow < ow_; ow += PixelBlock)
                    {
                        int at = Math.Min(ow, ow_ - PixelBlock);
                        Pixels5x16(image + (long)(2 * p + r) * width + at, job->TapRows, weight, filters, g.Taps, bias, null, pair + (r * ow_ + at) * 16);
                    }
                for (int j = 0; j < pooledWidth; j++)
                    for (int h = 0; h < 16; h += 8)
                    {
                        float* top = pair + 2 * j * 16 + h, bottom = top + ow_ * 16;
                        var left = Vector256.Max(Vector256.Load(top), Vector256.Load(bottom));
                        var right = Vector256.Max(Vector256.Load(top + 16), Vector256.Load(bottom + 16));
                        Vector256.Max(left, right).Store(best + j * 16 + h);
                    }
                float* target = pooled + (long)f * pooledPlane + (long)p * pooledWidth;
                for (int lane = 0; lane < 16; lane++, target += pooledPlane)
                    for (int j = 0; j < pooledWidth; j++) target[j] = best[j * 16 + lane];
            }
        }
    }

    // A single example's product with at least this many multiply-adds is split in two column halves.
    private const long SplitThreshold = 1L << 16;

    /// <summary>
    /// Batch 1 (latency): the example's product split into two halves of its columns, one per thread,
    /// instead of leaving the second thread idle. Every column is summed as it is on one thread.
    /// </summary>
    private static void ForwardOneExampleInHalves(ConvJob* job)
    {
        ref readonly var g = ref job->Geometry;
        job->Path = KernelPath.Current;
        job->Image = job->X;
        if (g.NeedsPaddedCopy) { PadImage(job->X, job->Scratch, g); job->Image = job->Scratch; }
        if (!KernelThreads.TryRun(&ForwardHalves, job, 2, 1, 2, chunksPerPart: 1)) ForwardHalves(job, 0, 2);
        KeepOutputColumns(job->Scratch + g.PaddedSize, job->Out, job->Relu, g);
    }

    /// <summary>Batch 1 (latency) with pixel blocks or products by output row: the output rows cut in two, one half per thread.</summary>
    private static void ForwardOneExampleByRows(ConvJob* job)
    {
        ref readonly var g = ref job->Geometry;
        job->Path = KernelPath.Current;
        job->Image = job->X;
        if (g.NeedsPaddedCopy) { PadImage(job->X, job->Scratch, g); job->Image = job->Scratch; }
        if (!KernelThreads.TryRun(&OutputRowsOfOne, job, g.OutputHeight, 1, 2, chunksPerPart: 1)) OutputRowsOfOne(job, 0, g.OutputHeight);
    }

    private static void OutputRowsOfOne(ConvJob* job, int start, int end)
    {
        if (job->WeightByTap != null) PixelBlockRows(job, job->Image, job->Out, job->Relu, start, end);
        else ProductOutputRows(job, job->Image, job->Out, job->Relu, start, end);
    }

    /// <summary>
    /// AVX2, direct reads, output rows of 16 pixels or more and no more once rounded up to blocks of
    /// 16 than the padded rows the products would otherwise compute (LeNet's conv1: 28 pixels in two
    /// overlapping blocks, rows of 32): the products then run one output row at a time, straight into
    /// the output's layout, a relu-only output taking its relu in the product's registers, instead of
    /// products over whole padded rows laid out into the output afterwards. (AVX-512 keeps whole rows:
    /// its 16-column blocks are one register per filter, six FMA chains, too few to hide the latency.)
    /// </summary>
    private static bool ProductsByOutputRow(VectorPath path, in Conv2dGeometry g) =>
        path == VectorPath.Avx2 && g.ReadsImageDirectly && g.OutputWidth >= 16 && (g.OutputWidth + 15) / 16 * 16 <= g.PaddedWidth;

    /// <summary>Output rows [oh0, oh1) of one example, all filters, each row one product (see ProductsByOutputRow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ProductOutputRows(ConvJob* job, float* image, float* output, float* relu, int oh0, int oh1)
    {
        ref readonly var g = ref job->Geometry;
        int ow_ = g.OutputWidth, pixels = g.Pixels;
        for (int oh = oh0; oh < oh1; oh++)
        {
            long at = (long)oh * ow_;
            float* row = image + (long)oh * g.PaddedWidth;
            if (output == null)
            {
                MultiplyRowsAvx2(job->W, g.Taps, 1, row, job->TapRows, relu + at, job->Bias, g.Filters, ow_, g.Taps, pixels, relu: true);
                continue;
            }
            MultiplyRowsAvx2(job->W, g.Taps, 1, row, job->TapRows, output + at, job->Bias, g.Filters, ow_, g.Taps, pixels, relu: false);
            if (relu == null) continue;
            for (int f = 0; f < g.Filters; f++) ReluRow(output + (long)f * pixels + at, relu + (long)f * pixels + at, ow_);
        }
    }

    /// <summary>Each output row's first OutputWidth columns from the product's rows, PaddedWidth apart.</summary>
    private static void KeepOutputColumns(float* rows, float* output, float* relu, in Conv2dGeometry g)
    {
        int columns = g.Columns, pw = g.PaddedWidth, ow_ = g.OutputWidth;
        if (Avx512F.IsSupported && ow_ <= 16)
        {
            // One masked move per row (LeNet's conv2: 10 values).
            var values = LaneMask(ow_);
            for (int o = 0; o < g.Filters; o++)
            {
                float* source = rows + (long)o * columns;
                long at = (long)o * g.Pixels;
                for (int oh = 0; oh < g.OutputHeight; oh++, at += ow_)
                {
                    var v = Avx512F.MaskLoad(source + (long)oh * pw, values, Vector512<float>.Zero);
                    if (output != null) Avx512F.MaskStore(output + at, values, v);
                    if (relu != null) Avx512F.MaskStore(relu + at, values, Relu(v));
                }
            }
            return;
        }
        for (int o = 0; o < g.Filters; o++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
            {
                long at = (long)o * g.Pixels + oh * ow_;
                float* source = rows + (long)o * columns + oh * pw;
                if (output != null) CopyRow(source, output + at, 0, ow_);
                if (relu != null) ReluRow(source, relu + at, ow_);
            }
    }

    // x < 0 ? 0 : x, as ActivationKernels.Relu computes it (NaN and -0 pass through).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Relu(Vector512<float> v) =>
        Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), Vector512<float>.Zero, v);

    /// <summary>relu[i] = relu(x[i]) for i in [0, n), the bits of ActivationKernels.Relu.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReluRow(float* x, float* relu, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16) Relu(Vector512.Load(x + i)).Store(relu + i);
        for (; i + 8 <= n; i += 8) Relu(Vector256.Load(x + i)).Store(relu + i);
        // The last few as the eight ending at n (relu of a relu is itself, so in place is fine too):
        // scalar ones branch on the sign, which a convolution's outputs mispredict about half the time
        // (LeNet's conv1 rows of 28 left 4 each).
        if (i < n && n >= 8) { Relu(Vector256.Load(x + n - 8)).Store(relu + n - 8); return; }
        for (; i < n; i++) relu[i] = x[i] < 0f ? 0f : x[i];
    }

    // Half 0 is columns [0, split), half 1 [split, Columns); split is a multiple of 16 and both halves
    // are at least 16 wide, so each takes the vector kernels it would take as part of the whole row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardHalves(ConvJob* job, int start, int end)
    {
        ref readonly var g = ref job->Geometry;
        int columns = g.Columns, split = (columns / 2 + 15) / 16 * 16;
        float* rows = job->Scratch + g.PaddedSize;
        for (int half = start; half < end; half++)
        {
            int j0 = half == 0 ? 0 : split, j1 = half == 0 ? split : columns;
            MultiplyRows(job->Path, job->W, g.Taps, 1, job->Image + j0, job->TapRows, rows + j0, job->Bias, g.Filters, j1 - j0, g.Taps, columns);
        }
    }

    /// <summary>
    /// The backward pass after <see cref="Forward"/> with the same input, weight and scratch:
    /// weightGradient += dL/dW, biasGradient += dL/db, inputGradient += dL/dx, each skipped when its
    /// span is empty. scratchGradient (as large as scratch) is working space and is overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> scratch,
        Span<float> scratchGradient, Span<float> weightGradient, Span<float> biasGradient, Span<float> inputGradient, int batch, in Conv2dGeometry g)
    {
        // The weight gradient of a direct-read convolution without padding reads the input itself.
        if (g.ReadsImageDirectly && !g.NeedsPaddedCopy && !weightGradient.IsEmpty) CheckExtent(input.Length, (long)batch * g.InputSize, nameof(input));
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be >= 0");
        CheckExtent(weight.Length, g.WeightSize, nameof(weight));
        CheckExtent(outputGradient.Length, (long)batch * g.OutputSize, nameof(outputGradient));
        CheckExtent(scratch.Length, (long)batch * g.ScratchSize, nameof(scratch));
        CheckExtent(scratchGradient.Length, (long)batch * g.ScratchSize, nameof(scratchGradient));
        if (!weightGradient.IsEmpty) CheckExtent(weightGradient.Length, g.WeightSize, nameof(weightGradient));
        if (!biasGradient.IsEmpty) CheckExtent(biasGradient.Length, g.Filters, nameof(biasGradient));
        if (!inputGradient.IsEmpty) CheckExtent(inputGradient.Length, (long)batch * g.InputSize, nameof(inputGradient));
        if (batch == 0) return;
        int groups = (batch + GroupSize - 1) / GroupSize;
        Span<int> rows = g.Taps + g.Filters <= MaxStackRows ? stackalloc int[g.Taps + g.Filters] : new int[g.Taps + g.Filters];
        FillRowOffsets(rows, g);
        fixed (float* px = input, pw = weight, pg = outputGradient, ps = scratch, pd = scratchGradient, pdw = weightGradient, pdb = biasGradient, pdx = inputGradient)
        fixed (int* pr = rows)
        {
            var job = new ConvJob
            {
                X = px, W = pw, OutGradient = pg, Scratch = ps, ScratchGradient = pd, Batch = batch, Geometry = g, TapRows = pr, FilterRows = pr + g.Taps,
                WeightGradient = weightGradient.IsEmpty ? null : pdw, BiasGradient = biasGradient.IsEmpty ? null : pdb,
                XGradient = inputGradient.IsEmpty ? null : pdx,
            };
            long work = (long)batch * g.OutputSize * g.Taps * ((job.WeightGradient != null ? 1 : 0) + (job.XGradient != null ? 1 : 0));
            Run(&BackwardGroups, ref job, groups, work);
        }
        // Each group's partial sits in its first example's scratch; they are added in group order.
        for (int group = 0; group < groups; group++)
        {
            var partial = scratchGradient.Slice(group * GroupSize * g.ScratchSize + g.PartialOffset, g.WeightSize + g.Filters);
            if (!weightGradient.IsEmpty)
                TensorPrimitives.Add(weightGradient.Slice(0, g.WeightSize), partial.Slice(0, g.WeightSize), weightGradient.Slice(0, g.WeightSize));
            if (!biasGradient.IsEmpty)
                TensorPrimitives.Add(biasGradient.Slice(0, g.Filters), partial.Slice(g.WeightSize, g.Filters), biasGradient.Slice(0, g.Filters));
        }
    }

    private struct ConvJob
    {
        public float* X, W, Bias, Out, Scratch;
        // Where relu of the output goes as well, or null.
        public float* Relu;
        // Where maxpool(relu(output)) goes instead of either (ForwardReluMaxPool), or null.
        public float* Pooled;
        // How many rows of the pooled pair a batch-1 ForwardReluMaxPool's two chunks share are done.
        public int SharedPairRows;
        // The image a batch-1 forward pass split in halves reads: X, or its padded copy in Scratch.
        public float* Image;
        public float* OutGradient, ScratchGradient, WeightGradient, BiasGradient, XGradient;
        // Offsets of the tap rows (from the image, padded copy or im2col matrix) and of the filter rows.
        public int* TapRows, FilterRows;
        public int Batch;
        public Conv2dGeometry Geometry;
        // The weight as [Taps, Filters] for the pixel-block forward pass, or null.
        public float* WeightByTap;
        // The caller's vector path, which the workers take too (KernelPath.Current is per thread).
        public VectorPath Path;
    }

    // Row tables up to this many entries live on the stack (64 KB).
    private const int MaxStackRows = 16384;

    private static void FillRowOffsets(Span<int> rows, in Conv2dGeometry g)
    {
        int t = 0;
        if (g.ReadsImageDirectly)
        {
            int height = g.NeedsPaddedCopy ? g.PaddedHeight : g.Height, width = g.NeedsPaddedCopy ? g.PaddedWidth : g.Width;
            for (int c = 0; c < g.Channels; c++)
                for (int kh = 0; kh < g.KernelHeight; kh++)
                    for (int kw = 0; kw < g.KernelWidth; kw++) rows[t++] = (c * height + kh) * width + kw;
        }
        else
        {
            for (; t < g.Taps; t++) rows[t] = t * g.Pixels;
        }
        for (int o = 0; o < g.Filters; o++) rows[t + o] = o * g.Columns;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(delegate*<ConvJob*, int, int, void> body, ref ConvJob job, int n, long work)
    {
        fixed (ConvJob* p = &job)
        {
            p->Path = KernelPath.Current;
            int parts = work < ParallelThreshold ? 1 : Math.Min(KernelThreads.Parts, n);
            if (parts <= 1 || !KernelThreads.TryRun(body, p, n, 1, parts)) body(p, 0, n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardExamples(ConvJob* job, int start, int end)
    {
        ref readonly var g = ref job->Geometry;
        int taps = g.Taps, columns = g.Columns, scratchSize = g.ScratchSize;
        for (int b = start; b < end; b++)
        {
            float* scratch = job->Scratch + (long)b * scratchSize, image = job->X + (long)b * g.InputSize;
            float* output = job->Out == null ? null : job->Out + (long)b * g.OutputSize, relu = job->Relu == null ? null : job->Relu + (long)b * g.OutputSize;
            if (!g.ReadsImageDirectly)
            {
                Im2Col(image, scratch, g);
                // Without an output the product goes where the relu's values go, and relu runs in place.
                float* product = output != null ? output : relu;
                MultiplyRows(job->Path, job->W, taps, 1, scratch, job->TapRows, product, job->Bias, g.Filters, columns, taps);
                if (relu != null) ReluRow(product, relu, g.OutputSize);
                continue;
            }
            if (g.NeedsPaddedCopy) { PadImage(image, scratch, g); image = scratch; }
            if (job->Pooled != null)
            {
                long pooledSize = (long)g.Filters * (g.OutputHeight / 2) * (g.OutputWidth / 2);
                PooledRows(job, image, job->Pooled + b * pooledSize, 0, g.OutputHeight / 2);
                continue;
            }
            if (job->WeightByTap != null)
            {
                PixelBlockRows(job, image, output, relu, 0, g.OutputHeight);
                continue;
            }
            if (ProductsByOutputRow(job->Path, g))
            {
                ProductOutputRows(job, image, output, relu, 0, g.OutputHeight);
                continue;
            }
            // The product's rows are only laid out into the output, so every example of the chunk
            // reuses the first one's room for them: it stays in L1/L2, where an example's own room
            // would be a cold write of Filters x Columns values (LeNet's conv1: 21 KB) per example.
            float* rows = job->Scratch + (long)start * scratchSize + g.PaddedSize;
            MultiplyRows(job->Path, job->W, taps, 1, image, job->TapRows, rows, job->Bias, g.Filters, columns, taps);
            KeepOutputColumns(rows, output, relu, g);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardGroups(ConvJob* job, int startGroup, int endGroup)
    {
        ref readonly var g = ref job->Geometry;
        int taps = g.Taps, pixels = g.Pixels, filters = g.Filters, scratchSize = g.ScratchSize, outputSize = g.OutputSize, columns = g.Columns;
        bool direct = g.ReadsImageDirectly;
        // The spread gradient rows, tap gradients and padded input gradients are working space
        // until the group is done, so every group of the chunk uses its first group's room: it
        // stays in L2, where each group's own room would be cold writes (LeNet's conv1: 21 KB of
        // spread rows per example). A chunk's first group is whole unless it is the batch's last.
        float* work = job->ScratchGradient + (long)startGroup * GroupSize * scratchSize;
        for (int group = startGroup; group < endGroup; group++)
        {
            int first = group * GroupSize, count = Math.Min(GroupSize, job->Batch - first);
            float* gradient = job->OutGradient + (long)first * outputSize;
            float* leader = work;
            // Each group's partial stays in its own first example's room, for the sum in group order.
            float* partial = job->ScratchGradient + (long)first * scratchSize + g.PartialOffset;
            // The gradient rows the products read: the output gradient itself, or (direct reads) a
            // copy with rows PaddedWidth apart and zeros in the dropped columns.
            float* gradientRows = gradient;
            long gradientStride = outputSize;
            bool filterLanes = job->WeightGradient != null && UsesFilterLanes(job->Path, g);
            if (direct && (job->XGradient != null || (job->WeightGradient != null && !filterLanes)))
            {
                for (int e = 0; e < count; e++) SpreadRows(gradient + (long)e * outputSize, leader + (long)e * scratchSize + g.PaddedSize, g);
                gradientRows = leader + g.PaddedSize;
                gradientStride = scratchSize;
            }
            if (job->WeightGradient != null)
            {
                float* taps0 = direct && !g.NeedsPaddedCopy ? job->X + (long)first * g.InputSize : job->Scratch + (long)first * scratchSize;
                long tapStride = direct && !g.NeedsPaddedCopy ? g.InputSize : scratchSize;
                if (filterLanes)
                {
                    // Each example's gradient as [pixel, filter] goes to its tap-gradient room, which the
                    // input gradient below takes over only once the weight gradient is done.
                    float* byPixel = work + g.PaddedSize + (long)filters * columns;
                    for (int e = 0; e < count; e++) ToFilterLanes(gradient + (long)e * outputSize, byPixel + (long)e * scratchSize, filters, pixels);
                    FilterLaneDots(taps0, tapStride, byPixel, scratchSize, job->TapRows, count, partial, g);
                }
                else GroupDots(job->Path, gradientRows, gradientStride, taps0, tapStride, job->TapRows, count, partial, filters, taps, columns);
            }
            if (job->BiasGradient != null)
            {
                for (int o = 0; o < filters; o++)
                {
                    float sum = 0f;
                    for (int e = 0; e < count; e++) sum += RowSum(gradient + (long)e * outputSize + (long)o * pixels, pixels);
                    partial[(long)filters * taps + o] = sum;
                }
            }
            if (job->XGradient == null) continue;
            for (int e = 0; e < count; e++)
            {
                int b = first + e;
                float* inputGradient = job->XGradient + (long)b * g.InputSize;
                float* own = work + (long)e * scratchSize;
                // Tap gradients [taps, columns] = Wᵀ g: the weight read transposed, one row per tap.
                float* tapGradients = direct ? leader + g.PaddedSize + (long)filters * columns : own;
                MultiplyRows(job->Path, job->W, 1, taps, gradientRows + e * gradientStride, job->FilterRows, tapGradients, null, taps, columns, filters);
                if (!direct)
                {
                    Col2ImAdd(tapGradients, inputGradient, g);
                    continue;
                }
                // Every tap's row goes back to where it was read; dropped columns carry zeros.
                float* target = inputGradient;
                if (g.NeedsPaddedCopy)
                {
                    target = own;
                    new Span<float>(target, g.PaddedSize).Clear();
                }
                for (int t = 0; t < taps; t++) AddRow(tapGradients + (long)t * columns, target + job->TapRows[t], 0, columns);
                if (g.NeedsPaddedCopy) UnpadAdd(target, inputGradient, g);
            }
        }
    }

    // ---------------- the weight gradient with filters in the lanes ----------------
    //
    // When the filters come in sixteens (LeNet's conv2), the AVX2 weight gradient puts them in the
    // vector lanes, as the pixel-block forward pass does: per output pixel, its 16 gradients (each
    // example's output gradient transposed to [pixel, filter]) times one broadcast image value per
    // tap, six taps at a time in 12 accumulators. Only real outputs are read, where GroupDots reads
    // the spread rows' dropped columns too (LeNet's conv2: 136 for 100 pixels), and nothing is summed
    // across lanes. Each gradient is one FMA chain over the group's examples and pixels in order.

    // AVX2 only (AVX-512 keeps GroupDots), whole 16-filter blocks, and each example's transposed
    // gradient fits in its tap-gradient room.
    private static bool UsesFilterLanes(VectorPath path, in Conv2dGeometry g) =>
        path == VectorPath.Avx2 && g.ReadsImageDirectly && g.Filters % 16 == 0 && (long)g.OutputSize <= (long)g.Taps * g.Columns;

    /// <summary>
    /// c[f, t] = sum over examples e &lt; count and output pixels (oh, ow) of
    /// images[e * imageStride + rows[t] + oh * PaddedWidth + ow] * byPixel[e * byPixelStride + (oh * OutputWidth + ow) * Filters + f]:
    /// a group's weight gradient [Filters, Taps], overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterLaneDots(float* images, long imageStride, float* byPixel, long byPixelStride, int* rows, int count, float* c, in Conv2dGeometry g)
    {
        int taps = g.Taps, filters = g.Filters;
        float* tile = stackalloc float[TapBlock * 16];
        for (int f = 0; f < filters; f += 16)
            for (int t0 = 0; t0 < taps; t0 += TapBlock)
            {
                int n = Math.Min(TapBlock, taps - t0);
                TapsBy16Filters(images, imageStride, byPixel + f, byPixelStride, rows + t0, n, count, g, tile);
                for (int r = 0; r < n; r++)
                    for (int lane = 0; lane < 16; lane++) c[(long)(f + lane) * taps + t0 + r] = tile[r * 16 + lane];
            }
    }

    private const int TapBlock = 6;

    // Six taps by 16 filters in 12 accumulators: per pixel two loads of the gradient and six broadcasts
    // of the image feed 12 FMAs. With n < 6 taps the missing ones repeat tap 0; tile gets [tap, filter].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TapsBy16Filters(float* images, long imageStride, float* byPixel, long byPixelStride, int* rows, int n, int count, in Conv2dGeometry g, float* tile)
    {
        nint r0 = rows[0], r1 = n > 1 ? rows[1] : r0, r2 = n > 2 ? rows[2] : r0, r3 = n > 3 ? rows[3] : r0, r4 = n > 4 ? rows[4] : r0, r5 = n > 5 ? rows[5] : r0;
        int outputHeight = g.OutputHeight, outputWidth = g.OutputWidth, width = g.PaddedWidth, filters = g.Filters;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int e = 0; e < count; e++)
        {
            float* gradient = byPixel + e * byPixelStride;
            for (int oh = 0; oh < outputHeight; oh++)
            {
                float* x = images + e * imageStride + (long)oh * width;
                for (int ow = 0; ow < outputWidth; ow++, x++, gradient += filters)
                {
                    var g0 = Vector256.Load(gradient);
                    var g1 = Vector256.Load(gradient + 8);
                    var v = Vector256.Create(x[r0]);
                    c00 = Vector256.FusedMultiplyAdd(v, g0, c00); c01 = Vector256.FusedMultiplyAdd(v, g1, c01);
                    v = Vector256.Create(x[r1]);
                    c10 = Vector256.FusedMultiplyAdd(v, g0, c10); c11 = Vector256.FusedMultiplyAdd(v, g1, c11);
                    v = Vector256.Create(x[r2]);
                    c20 = Vector256.FusedMultiplyAdd(v, g0, c20); c21 = Vector256.FusedMultiplyAdd(v, g1, c21);
                    v = Vector256.Create(x[r3]);
                    c30 = Vector256.FusedMultiplyAdd(v, g0, c30); c31 = Vector256.FusedMultiplyAdd(v, g1, c31);
                    v = Vector256.Create(x[r4]);
                    c40 = Vector256.FusedMultiplyAdd(v, g0, c40); c41 = Vector256.FusedMultiplyAdd(v, g1, c41);
                    v = Vector256.Create(x[r5]);
                    c50 = Vector256.FusedMultiplyAdd(v, g0, c50); c51 = Vector256.FusedMultiplyAdd(v, g1, c51);
                }
            }
        }
        c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24); c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56); c40.Store(tile + 64); c41.Store(tile + 72); c50.Store(tile + 80); c51.Store(tile + 88);
    }

    // ---------------- the forward pass in pixel blocks ----------------
    //
    // With direct reads the products above compute every column of rows PaddedWidth apart, and drop
    // the KernelWidth - 1 columns between output rows (LeNet's conv2: 14 computed for 10 kept), in
    // blocks of six filters (16 filters: 18 computed). Here the filters are the vector lanes and the
    // pixels the broadcasts: five pixels of one output row by 16 filters, so only real outputs are
    // computed (a row whose width is not a multiple of five overlaps its last two blocks). Each output
    // is still bias + its taps' products added in tap order by FMA: the same bits as MultiplyRows.

    private const int PixelBlock = 5;

    // AVX2 only (AVX-512 keeps its wider column blocks), whole 16-filter blocks, rows of five pixels or more.
    private static bool UsesPixelBlocks(VectorPath path, in Conv2dGeometry g) =>
        path == VectorPath.Avx2 && g.ReadsImageDirectly && g.Filters % 16 == 0 && g.OutputWidth >= PixelBlock;

    /// <summary>
    /// byPosition[t, f] = byFilter[f, t] (filters a multiple of 8): a weight [Filters, Taps] or an output
    /// gradient [Filters, Pixels] with each position's filters side by side, for the kernels that put
    /// the filters in the lanes. 8 x 8 blocks, then the last positions one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ToFilterLanes(float* byFilter, float* byPosition, int filters, int positions)
    {
        int t0 = 0;
        for (; t0 + 8 <= positions; t0 += 8)
            for (int f = 0; f < filters; f += 8)
                AttentionKernels.Transpose8x8(byFilter + (long)f * positions + t0, positions, byPosition + (long)t0 * filters + f, filters);
        for (int f = 0; f < filters; f++)
            for (int t = t0; t < positions; t++) byPosition[(long)t * filters + f] = byFilter[(long)f * positions + t];
    }

    /// <summary>Output rows [oh0, oh1) of one example, all filters, from its image (padded when it needs it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PixelBlockRows(ConvJob* job, float* image, float* output, float* relu, int oh0, int oh1)
    {
        ref readonly var g = ref job->Geometry;
        int ow_ = g.OutputWidth, pixels = g.Pixels, filters = g.Filters, width = g.PaddedWidth;
        float* tile = stackalloc float[2 * PixelBlock * 16];
        for (int f = 0; f < filters; f += 16)
        {
            float* weight = job->WeightByTap + f;
            float* bias = job->Bias == null ? null : job->Bias + f;
            long plane = (long)f * pixels;
            for (int oh = oh0; oh < oh1; oh++)
                for (int ow = 0; ow < ow_; ow += PixelBlock)
                {
                    int at = Math.Min(ow, ow_ - PixelBlock);
                    Pixels5x16(image + (long)oh * width + at, job->TapRows, weight, filters, g.Taps, bias, tile, tile + PixelBlock * 16);
                    long q = plane + (long)oh * ow_ + at;
                    StoreTile(tile, output == null ? null : output + q, relu == null ? null : relu + q, pixels);
                }
        }
    }

    // Five consecutive pixels by 16 filters in 10 accumulators: per tap two loads of the weight and five
    // broadcasts of the image feed 10 FMAs. sums gets them [pixel, filter] and relu their relu, each
    // unless null.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels5x16(float* image, int* rows, float* weight, int filters, int taps, float* bias, float* sums, float* relu)
    {
        var c00 = bias == null ? Vector256<float>.Zero : Vector256.Load(bias);
        var c01 = bias == null ? Vector256<float>.Zero : Vector256.Load(bias + 8);
        Vector256<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01;
        for (int t = 0; t < taps; t++, weight += filters)
        {
            float* x = image + rows[t];
            var w0 = Vector256.Load(weight);
            var w1 = Vector256.Load(weight + 8);
            var v = Vector256.Create(x[0]);
            c00 = Vector256.FusedMultiplyAdd(w0, v, c00); c01 = Vector256.FusedMultiplyAdd(w1, v, c01);
            v = Vector256.Create(x[1]);
            c10 = Vector256.FusedMultiplyAdd(w0, v, c10); c11 = Vector256.FusedMultiplyAdd(w1, v, c11);
            v = Vector256.Create(x[2]);
            c20 = Vector256.FusedMultiplyAdd(w0, v, c20); c21 = Vector256.FusedMultiplyAdd(w1, v, c21);
            v = Vector256.Create(x[3]);
            c30 = Vector256.FusedMultiplyAdd(w0, v, c30); c31 = Vector256.FusedMultiplyAdd(w1, v, c31);
            v = Vector256.Create(x[4]);
            c40 = Vector256.FusedMultiplyAdd(w0, v, c40); c41 = Vector256.FusedMultiplyAdd(w1, v, c41);
        }
        if (sums != null)
        {
            c00.Store(sums); c01.Store(sums + 8); c10.Store(sums + 16); c11.Store(sums + 24); c20.Store(sums + 32);
            c21.Store(sums + 40); c30.Store(sums + 48); c31.Store(sums + 56); c40.Store(sums + 64); c41.Store(sums + 72);
        }
        if (relu == null) return;
        Relu(c00).Store(relu); Relu(c01).Store(relu + 8); Relu(c10).Store(relu + 16); Relu(c11).Store(relu + 24); Relu(c20).Store(relu + 32);
        Relu(c21).Store(relu + 40); Relu(c30).Store(relu + 48); Relu(c31).Store(relu + 56); Relu(c40).Store(relu + 64); Relu(c41).Store(relu + 72);
    }

    // x < 0 ? 0 : x, as ActivationKernels.Relu computes it (NaN and -0 pass through).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Relu(Vector256<float> v) =>
        Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<float>.Zero), Vector256<float>.Zero, v);

    /// <summary>A tile's [pixel, filter] sums (and relu) to the [filter, pixel] output: filter planes planeSize apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile(float* tile, float* output, float* relu, int planeSize)
    {
        if (output != null) StoreTransposed(tile, output, planeSize);
        if (relu != null) StoreTransposed(tile + PixelBlock * 16, relu, planeSize);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed(float* tile, float* target, int planeSize)
    {
        for (int f = 0; f < 16; f++, target += planeSize)
        {
            target[0] = tile[f]; target[1] = tile[16 + f]; target[2] = tile[32 + f]; target[3] = tile[48 + f]; target[4] = tile[64 + f];
        }
    }

    // ---------------- padded copies ----------------

    /// <summary>The zero-padded image [Channels, PaddedHeight, PaddedWidth] of one example.</summary>
    private static void PadImage(float* image, float* padded, in Conv2dGeometry g)
    {
        new Span<float>(padded, g.PaddedSize).Clear();
        int width = Math.Min(g.Width, g.PaddedWidth - g.PadLeft);
        for (int c = 0; c < g.Channels; c++)
            for (int ih = 0; ih < g.Height && ih + g.PadTop < g.PaddedHeight; ih++)
                CopyRow(image + ((long)c * g.Height + ih) * g.Width, padded + ((long)c * g.PaddedHeight + ih + g.PadTop) * g.PaddedWidth + g.PadLeft, 0, width);
    }

    /// <summary>inputGradient += the image part of a padded gradient (the inverse of PadImage).</summary>
    private static void UnpadAdd(float* padded, float* inputGradient, in Conv2dGeometry g)
    {
        int width = Math.Min(g.Width, g.PaddedWidth - g.PadLeft);
        for (int c = 0; c < g.Channels; c++)
            for (int ih = 0; ih < g.Height && ih + g.PadTop < g.PaddedHeight; ih++)
                AddRow(padded + ((long)c * g.PaddedHeight + ih + g.PadTop) * g.PaddedWidth + g.PadLeft, inputGradient + ((long)c * g.Height + ih) * g.Width, 0, width);
    }

    /// <summary>One example's output gradient [Filters, Pixels] as rows of Columns, PaddedWidth apart, zeros between.</summary>
    private static void SpreadRows(float* gradient, float* rows, in Conv2dGeometry g)
    {
        int columns = g.Columns, ow_ = g.OutputWidth, pw = g.PaddedWidth;
        if (Avx512F.IsSupported && pw <= 16)
        {
            // One masked load and store per row (LeNet's conv2: 10 values, 4 zeros): the row-by-row
            // copy below spends more on its scalar ends than on the values.
            var values = LaneMask(ow_);
            var row = LaneMask(pw);
            for (int o = 0; o < g.Filters; o++)
            {
                float* source = gradient + (long)o * g.Pixels, target = rows + (long)o * columns;
                for (int oh = 0; oh + 1 < g.OutputHeight; oh++)
                    Avx512F.MaskStore(target + (long)oh * pw, row, Avx512F.MaskLoad(source + oh * ow_, values, Vector512<float>.Zero));
                int last = g.OutputHeight - 1;
                Avx512F.MaskStore(target + (long)last * pw, values, Avx512F.MaskLoad(source + last * ow_, values, Vector512<float>.Zero));
            }
            return;
        }
        for (int o = 0; o < g.Filters; o++)
        {
            float* row = rows + (long)o * columns;
            for (int oh = 0; oh < g.OutputHeight; oh++)
            {
                float* target = row + (long)oh * pw;
                CopyRow(gradient + (long)o * g.Pixels + oh * ow_, target, 0, ow_);
                if (oh + 1 < g.OutputHeight) for (int i = ow_; i < pw; i++) target[i] = 0f;
            }
        }
    }

    // ---------------- im2col and col2im ----------------

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Im2Col(float* x, float* col, in Conv2dGeometry g)
    {
        int oh_ = g.OutputHeight, ow_ = g.OutputWidth, s = g.Stride, h = g.Height, w = g.Width;
        for (int ci = 0; ci < g.Channels; ci++)
            for (int kh = 0; kh < g.KernelHeight; kh++)
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    float* row = col + (long)((ci * g.KernelHeight + kh) * g.KernelWidth + kw) * g.Pixels;
                    var (owStart, owEnd) = InsideColumns(kw, g);
                    for (int oh = 0; oh < oh_; oh++)
                    {
                        float* target = row + (long)oh * ow_;
                        int ih = oh * s + kh - g.PadTop;
                        if ((uint)ih >= (uint)h)
                        {
                            new Span<float>(target, ow_).Clear();
                            continue;
                        }
                        float* source = x + ((long)ci * h + ih) * w;
                        int ow = 0;
                        for (; ow < owStart; ow++) target[ow] = 0f;
                        if (s == 1) ow = CopyRow(source + kw - g.PadLeft, target, owStart, owEnd);
                        else for (int iw = owStart * s + kw - g.PadLeft; ow < owEnd; ow++, iw += s) target[ow] = source[iw];
                        for (; ow < ow_; ow++) target[ow] = 0f;
                    }
                }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Col2ImAdd(float* colGradient, float* xGradient, in Conv2dGeometry g)
    {
        int oh_ = g.OutputHeight, ow_ = g.OutputWidth, s = g.Stride, h = g.Height, w = g.Width;
        for (int ci = 0; ci < g.Channels; ci++)
            for (int kh = 0; kh < g.KernelHeight; kh++)
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    float* row = colGradient + (long)((ci * g.KernelHeight + kh) * g.KernelWidth + kw) * g.Pixels;
                    var (owStart, owEnd) = InsideColumns(kw, g);
                    if (owEnd <= owStart) continue;
                    for (int oh = 0; oh < oh_; oh++)
                    {
                        int ih = oh * s + kh - g.PadTop;
                        if ((uint)ih >= (uint)h) continue;
                        float* source = row + (long)oh * ow_;
                        float* target = xGradient + ((long)ci * h + ih) * w;
                        if (s == 1)
                            AddRow(source, target + kw - g.PadLeft, owStart, owEnd);
                        else
                        {
                            for (int ow = owStart, iw = owStart * s + kw - g.PadLeft; ow < owEnd; ow++, iw += s) target[iw] += source[ow];
                        }
                    }
                }
    }

    // Rows here are a few dozen values: span copies and TensorPrimitives calls would cost more in
    // overhead than the copy itself, so these step down through vector widths inline.

    /// <summary>target[i] = source[i] for i in [start, end); returns end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyRow(float* source, float* target, int start, int end)
    {
        int i = start;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= end; i += 16) Vector512.Store(Vector512.Load(source + i), target + i);
        for (; i + 8 <= end; i += 8) Vector256.Store(Vector256.Load(source + i), target + i);
        if (i + 4 <= end) { Vector128.Store(Vector128.Load(source + i), target + i); i += 4; }
        for (; i < end; i++) target[i] = source[i];
        return end;
    }

    /// <summary>The sum of row[0..n): a bias gradient's share of one example and filter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float RowSum(float* row, int n)
    {
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 32)
        {
            Vector512<float> s0 = default, s1 = default;
            for (; i + 32 <= n; i += 32) { s0 += Vector512.Load(row + i); s1 += Vector512.Load(row + i + 16); }
            sum = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<float> s0 = default, s1 = default;
            for (; i + 16 <= n; i += 16) { s0 += Vector256.Load(row + i); s1 += Vector256.Load(row + i + 8); }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; i < n; i++) sum += row[i];
        return sum;
    }

    /// <summary>target[i] += source[i] for i in [start, end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float* source, float* target, int start, int end)
    {
        int i = start;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= end; i += 16) Vector512.Store(Vector512.Load(target + i) + Vector512.Load(source + i), target + i);
        for (; i + 8 <= end; i += 8) Vector256.Store(Vector256.Load(target + i) + Vector256.Load(source + i), target + i);
        if (i + 4 <= end) { Vector128.Store(Vector128.Load(target + i) + Vector128.Load(source + i), target + i); i += 4; }
        for (; i < end; i++) target[i] += source[i];
    }

    /// <summary>The output columns [start, end) at which kernel column kw reads inside the image (end >= start).</summary>
    private static (int Start, int End) InsideColumns(int kw, in Conv2dGeometry g)
    {
        int s = g.Stride, offset = kw - g.PadLeft;
        // iw = ow * s + offset must lie in [0, width).
        int start = offset >= 0 ? 0 : (-offset + s - 1) / s;
        int end = g.Width - 1 - offset < 0 ? 0 : Math.Min(g.OutputWidth, (g.Width - 1 - offset) / s + 1);
        start = Math.Min(start, g.OutputWidth);
        return (start, Math.Max(start, end));
    }

    // ---------------- c = init + A b, A strided: forward (A = W) and dcol (A = Wᵀ) ----------------

    /// <summary>
    /// c[i, j] = init[i] + sum_p A(i, p) B(p, j) for i &lt; m, j &lt; n, p &lt; k, where A(i, p) is
    /// a[i * rs + p * cs], B(p, j) is b[rows[p] + j] and init is zero when null. c is m x n and
    /// overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyRows(VectorPath path, float* a, int rs, int cs, float* b, int* rows, float* c, float* init, int m, int n, int k, int ldc = 0)
    {
        // c's rows are ldc apart (n unless the columns are a slice of wider rows).
        if (ldc == 0) ldc = n;
        if (path == VectorPath.Avx2 && n >= 8)
        {
            MultiplyRowsAvx2(a, rs, cs, b, rows, c, init, m, n, k, ldc, relu: false);
            return;
        }
        if (path != VectorPath.Avx512 || n < 16)
        {
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (long)i * ldc, n);
                row.Fill(init == null ? 0f : init[i]);
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(b + rows[p], n), a[(long)i * rs + (long)p * cs], row, row);
            }
            return;
        }
        int iBlock = 0;
        float* inits = stackalloc float[8];
        for (; iBlock + 8 <= m; iBlock += 8)
        {
            float* ai = a + (long)iBlock * rs, ci = c + (long)iBlock * ldc;
            for (int r = 0; r < 8; r++) inits[r] = init == null ? 0f : init[iBlock + r];
            int j = 0;
            for (; j + 32 <= n; j += 32) Rows8x32(ai, rs, cs, b + j, rows, ci + j, ldc, k, inits);
            int last = n - 16;
            for (; j < n; j += 16)
            {
                // A last partial vector is taken as the 16 columns ending at n: a few columns get the same values again.
                int at = Math.Min(j, last);
                Rows4x16(ai, rs, cs, b + at, rows, ci + at, ldc, k, inits[0], inits[1], inits[2], inits[3]);
                Rows4x16(ai + 4L * rs, rs, cs, b + at, rows, ci + 4L * ldc + at, ldc, k, inits[4], inits[5], inits[6], inits[7]);
            }
        }
        // The rows the 8-row blocks leave (LeNet's conv1 has 6 filters, the tap gradients of its
        // conv2 150 rows): one row at a time is one or two dependent FMA chains, bound by the FMA
        // latency, so 5-7 rows go six at a time and 3-4 rows four at a time, as blocks whose missing
        // rows repeat row 0 and are not stored.
        if (m - iBlock >= 5)
        {
            int count = 6 <= m - iBlock ? 6 : m - iBlock;
            float* ai = a + (long)iBlock * rs, ci = c + (long)iBlock * ldc;
            for (int r = 0; r < 6; r++) inits[r] = init == null || r >= count ? 0f : init[iBlock + r];
            int j = 0;
            for (; j + 32 <= n; j += 32) Rows6x32(ai, rs, cs, b + j, rows, ci + j, ldc, k, inits, count);
            if (j + 16 <= n) { Rows6x16Avx512(ai, rs, cs, b + j, rows, ci + j, ldc, k, inits, count); j += 16; }
            if (j < n) Rows6x16Avx512(ai, rs, cs, b + n - 16, rows, ci + n - 16, ldc, k, inits, count);
            iBlock += count;
        }
        if (m - iBlock >= 3)
        {
            int count = 4 <= m - iBlock ? 4 : m - iBlock;
            float* ai = a + (long)iBlock * rs, ci = c + (long)iBlock * ldc;
            for (int r = 0; r < 4; r++) inits[r] = init == null || r >= count ? 0f : init[iBlock + r];
            var (v0, v1, v2, v3) = (inits[0], inits[1], inits[2], inits[3]);
            int j = 0;
            for (; j + 32 <= n; j += 32) Rows4x32(ai, rs, cs, b + j, rows, ci + j, ldc, k, v0, v1, v2, v3, count);
            if (j + 16 <= n) { Rows4x16(ai, rs, cs, b + j, rows, ci + j, ldc, k, v0, v1, v2, v3, count); j += 16; }
            // The last columns as one vector ending at n: it recomputes a few columns to the same values.
            if (j < n) Rows4x16(ai, rs, cs, b + n - 16, rows, ci + n - 16, ldc, k, v0, v1, v2, v3, count);
            iBlock += count;
        }
        for (; iBlock < m; iBlock++)
        {
            float* ai = a + (long)iBlock * rs, ci = c + (long)iBlock * ldc;
            float v = init == null ? 0f : init[iBlock];
            int j = 0;
            for (; j + 32 <= n; j += 32) Rows1x32(ai, cs, b + j, rows, ci + j, k, v);
            if (j + 16 <= n) { Rows1x16(ai, cs, b + j, rows, ci + j, k, v); j += 16; }
            if (j < n) Rows1x16(ai, cs, b + n - 16, rows, ci + n - 16, k, v);
        }
    }

    // Six rows of c, 32 columns: 12 accumulators; two loads of b feed 12 FMAs. With count < 6 only
    // the first count rows exist: the others read row 0 again and are not stored.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows6x32(float* a, int rs, int cs, float* b, int* rows, float* c, int ldc, int k, float* v, int count)
    {
        Vector512<float> r00 = Vector512.Create(v[0]), r01 = r00, r10 = Vector512.Create(v[1]), r11 = r10;
        Vector512<float> r20 = Vector512.Create(v[2]), r21 = r20, r30 = Vector512.Create(v[3]), r31 = r30;
        Vector512<float> r40 = Vector512.Create(v[4]), r41 = r40, r50 = Vector512.Create(v[5]), r51 = r50;
        long step = rs;
        float* a1 = a + step, a2 = a1 + step, a3 = a2 + step, a4 = a3 + step, a5 = count > 5 ? a4 + step : a;
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
        {
            float* bp = b + rows[p];
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 16);
            var x = Vector512.Create(a[offset]);
            r00 = Vector512.FusedMultiplyAdd(x, b0, r00); r01 = Vector512.FusedMultiplyAdd(x, b1, r01);
            x = Vector512.Create(a1[offset]);
            r10 = Vector512.FusedMultiplyAdd(x, b0, r10); r11 = Vector512.FusedMultiplyAdd(x, b1, r11);
            x = Vector512.Create(a2[offset]);
            r20 = Vector512.FusedMultiplyAdd(x, b0, r20); r21 = Vector512.FusedMultiplyAdd(x, b1, r21);
            x = Vector512.Create(a3[offset]);
            r30 = Vector512.FusedMultiplyAdd(x, b0, r30); r31 = Vector512.FusedMultiplyAdd(x, b1, r31);
            x = Vector512.Create(a4[offset]);
            r40 = Vector512.FusedMultiplyAdd(x, b0, r40); r41 = Vector512.FusedMultiplyAdd(x, b1, r41);
            x = Vector512.Create(a5[offset]);
            r50 = Vector512.FusedMultiplyAdd(x, b0, r50); r51 = Vector512.FusedMultiplyAdd(x, b1, r51);
        }
        r00.Store(c); r01.Store(c + 16); c += ldc; r10.Store(c); r11.Store(c + 16); c += ldc;
        r20.Store(c); r21.Store(c + 16); c += ldc; r30.Store(c); r31.Store(c + 16); c += ldc;
        r40.Store(c); r41.Store(c + 16);
        if (count > 5) { c += ldc; r50.Store(c); r51.Store(c + 16); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows6x16Avx512(float* a, int rs, int cs, float* b, int* rows, float* c, int ldc, int k, float* v, int count)
    {
        Vector512<float> r0 = Vector512.Create(v[0]), r1 = Vector512.Create(v[1]), r2 = Vector512.Create(v[2]);
        Vector512<float> r3 = Vector512.Create(v[3]), r4 = Vector512.Create(v[4]), r5 = Vector512.Create(v[5]);
        long step = rs;
        float* a1 = a + step, a2 = a1 + step, a3 = a2 + step, a4 = a3 + step, a5 = count > 5 ? a4 + step : a;
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
        {
            var b0 = Vector512.Load(b + rows[p]);
            r0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[offset]), b0, r0);
            r1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[offset]), b0, r1);
            r2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[offset]), b0, r2);
            r3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[offset]), b0, r3);
            r4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[offset]), b0, r4);
            r5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[offset]), b0, r5);
        }
        r0.Store(c); r1.Store(c + ldc); r2.Store(c + 2L * ldc); r3.Store(c + 3L * ldc); r4.Store(c + 4L * ldc);
        if (count > 5) r5.Store(c + 5L * ldc);
    }

    // Four rows of c, 32 columns: 8 accumulators; each step loads two vectors of b and broadcasts one a per row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4x32(float* a, int rs, int cs, float* b, int* rows, float* c, int ldc, int k, float v0, float v1, float v2, float v3, int count)
    {
        Vector512<float> r00 = Vector512.Create(v0), r01 = r00, r10 = Vector512.Create(v1), r11 = r10;
        Vector512<float> r20 = Vector512.Create(v2), r21 = r20, r30 = Vector512.Create(v3), r31 = r30;
        // With count 3 the fourth row repeats row 0 and is not stored.
        float* a1 = a + rs, a2 = a1 + rs, a3 = count > 3 ? a2 + rs : a;
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
        {
            float* bp = b + rows[p];
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 16);
            var x = Vector512.Create(a[offset]);
            r00 = Vector512.FusedMultiplyAdd(x, b0, r00); r01 = Vector512.FusedMultiplyAdd(x, b1, r01);
            x = Vector512.Create(a1[offset]);
            r10 = Vector512.FusedMultiplyAdd(x, b0, r10); r11 = Vector512.FusedMultiplyAdd(x, b1, r11);
            x = Vector512.Create(a2[offset]);
            r20 = Vector512.FusedMultiplyAdd(x, b0, r20); r21 = Vector512.FusedMultiplyAdd(x, b1, r21);
            x = Vector512.Create(a3[offset]);
            r30 = Vector512.FusedMultiplyAdd(x, b0, r30); r31 = Vector512.FusedMultiplyAdd(x, b1, r31);
        }
        float* c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        r00.Store(c); r01.Store(c + 16); r10.Store(c1); r11.Store(c1 + 16);
        r20.Store(c2); r21.Store(c2 + 16);
        if (count > 3) { r30.Store(c3); r31.Store(c3 + 16); }
    }

    // Eight rows of c, 32 columns: 16 accumulators; two loads of b feed 16 FMAs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows8x32(float* a, int rs, int cs, float* b, int* rows, float* c, int ldc, int k, float* v)
    {
        Vector512<float> r00 = Vector512.Create(v[0]), r01 = r00, r10 = Vector512.Create(v[1]), r11 = r10;
        Vector512<float> r20 = Vector512.Create(v[2]), r21 = r20, r30 = Vector512.Create(v[3]), r31 = r30;
        Vector512<float> r40 = Vector512.Create(v[4]), r41 = r40, r50 = Vector512.Create(v[5]), r51 = r50;
        Vector512<float> r60 = Vector512.Create(v[6]), r61 = r60, r70 = Vector512.Create(v[7]), r71 = r70;
        float* a1 = a + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs, a6 = a5 + rs, a7 = a6 + rs;
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
        {
            float* bp = b + rows[p];
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 16);
            var x = Vector512.Create(a[offset]);
            r00 = Vector512.FusedMultiplyAdd(x, b0, r00); r01 = Vector512.FusedMultiplyAdd(x, b1, r01);
            x = Vector512.Create(a1[offset]);
            r10 = Vector512.FusedMultiplyAdd(x, b0, r10); r11 = Vector512.FusedMultiplyAdd(x, b1, r11);
            x = Vector512.Create(a2[offset]);
            r20 = Vector512.FusedMultiplyAdd(x, b0, r20); r21 = Vector512.FusedMultiplyAdd(x, b1, r21);
            x = Vector512.Create(a3[offset]);
            r30 = Vector512.FusedMultiplyAdd(x, b0, r30); r31 = Vector512.FusedMultiplyAdd(x, b1, r31);
            x = Vector512.Create(a4[offset]);
            r40 = Vector512.FusedMultiplyAdd(x, b0, r40); r41 = Vector512.FusedMultiplyAdd(x, b1, r41);
            x = Vector512.Create(a5[offset]);
            r50 = Vector512.FusedMultiplyAdd(x, b0, r50); r51 = Vector512.FusedMultiplyAdd(x, b1, r51);
            x = Vector512.Create(a6[offset]);
            r60 = Vector512.FusedMultiplyAdd(x, b0, r60); r61 = Vector512.FusedMultiplyAdd(x, b1, r61);
            x = Vector512.Create(a7[offset]);
            r70 = Vector512.FusedMultiplyAdd(x, b0, r70); r71 = Vector512.FusedMultiplyAdd(x, b1, r71);
        }
        r00.Store(c); r01.Store(c + 16); c += ldc; r10.Store(c); r11.Store(c + 16); c += ldc;
        r20.Store(c); r21.Store(c + 16); c += ldc; r30.Store(c); r31.Store(c + 16); c += ldc;
        r40.Store(c); r41.Store(c + 16); c += ldc; r50.Store(c); r51.Store(c + 16); c += ldc;
        r60.Store(c); r61.Store(c + 16); c += ldc; r70.Store(c); r71.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4x16(float* a, int rs, int cs, float* b, int* rows, float* c, int ldc, int k, float v0, float v1, float v2, float v3, int count = 4)
    {
        Vector512<float> r0 = Vector512.Create(v0), r1 = Vector512.Create(v1), r2 = Vector512.Create(v2), r3 = Vector512.Create(v3);
        float* a1 = a + rs, a2 = a1 + rs, a3 = count > 3 ? a2 + rs : a;
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
        {
            var b0 = Vector512.Load(b + rows[p]);
            r0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[offset]), b0, r0);
            r1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[offset]), b0, r1);
            r2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[offset]), b0, r2);
            r3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[offset]), b0, r3);
        }
        r0.Store(c); r1.Store(c + ldc); r2.Store(c + 2L * ldc);
        if (count > 3) r3.Store(c + 3L * ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows1x32(float* a, int cs, float* b, int* rows, float* c, int k, float v)
    {
        Vector512<float> r0 = Vector512.Create(v), r1 = r0;
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
        {
            var x = Vector512.Create(a[offset]);
            float* bp = b + rows[p];
            r0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp), r0);
            r1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 16), r1);
        }
        r0.Store(c); r1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows1x16(float* a, int cs, float* b, int* rows, float* c, int k, float v)
    {
        Vector512<float> r0 = Vector512.Create(v);
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
            r0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[offset]), Vector512.Load(b + rows[p]), r0);
        r0.Store(c);
    }

    // The AVX2 MultiplyRows (n >= 8): six rows by 16 columns in 12 ymm accumulators, the last partial
    // vector taken as the one ending at n (its columns get the same values again). With relu, c gets
    // relu of the sums, taken in the registers as they are stored.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyRowsAvx2(float* a, int rs, int cs, float* b, int* rows, float* c, float* init, int m, int n, int k, int ldc, bool relu)
    {
        float* inits = stackalloc float[6];
        int iBlock = 0;
        if (n >= 16)
        {
            for (; iBlock + 6 <= m; iBlock += 6)
            {
                float* ai = a + (long)iBlock * rs, ci = c + (long)iBlock * ldc;
                for (int r = 0; r < 6; r++) inits[r] = init == null ? 0f : init[iBlock + r];
                for (int j = 0; j < n; j += 16)
                {
                    int at = Math.Min(j, n - 16);
                    Rows6x16(ai, rs, cs, b + at, rows, ci + at, ldc, k, inits, 6, relu);
                }
            }
            if (iBlock < m)
            {
                // The last 1 to 5 rows in the same 12 chains (LeNet's 16 filters leave 4): one row at a
                // time would be one dependent FMA chain, bound by the FMA latency instead of its throughput.
                int left = m - iBlock;
                float* ai = a + (long)iBlock * rs, ci = c + (long)iBlock * ldc;
                for (int r = 0; r < 6; r++) inits[r] = init == null || r >= left ? 0f : init[iBlock + r];
                for (int j = 0; j < n; j += 16)
                {
                    int at = Math.Min(j, n - 16);
                    Rows6x16(ai, rs, cs, b + at, rows, ci + at, ldc, k, inits, left, relu);
                }
                return;
            }
        }
        for (; iBlock < m; iBlock++)
        {
            float* ai = a + (long)iBlock * rs, ci = c + (long)iBlock * ldc;
            float v = init == null ? 0f : init[iBlock];
            for (int j = 0; j < n; j += 8)
            {
                int at = Math.Min(j, n - 8);
                Rows1x8(ai, cs, b + at, rows, ci + at, k, v, relu);
            }
        }
    }

    // Six rows of c, 16 columns: 12 accumulators; two loads of b feed 12 FMAs. With count < 6 only
    // the first count rows exist: the others read row 0 again and are not stored. With relu, relu of the sums.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows6x16(float* a, int rs, int cs, float* b, int* rows, float* c, int ldc, int k, float* v, int count, bool relu)
    {
        Vector256<float> r00 = Vector256.Create(v[0]), r01 = r00, r10 = Vector256.Create(v[1]), r11 = r10;
        Vector256<float> r20 = Vector256.Create(v[2]), r21 = r20, r30 = Vector256.Create(v[3]), r31 = r30;
        Vector256<float> r40 = Vector256.Create(v[4]), r41 = r40, r50 = Vector256.Create(v[5]), r51 = r50;
        long step = rs;
        float* a1 = count > 1 ? a + step : a, a2 = count > 2 ? a1 + step : a, a3 = count > 3 ? a2 + step : a;
        float* a4 = count > 4 ? a3 + step : a, a5 = count > 5 ? a4 + step : a;
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
        {
            float* bp = b + rows[p];
            var b0 = Vector256.Load(bp);
            var b1 = Vector256.Load(bp + 8);
            var x = Vector256.Create(a[offset]);
            r00 = Vector256.FusedMultiplyAdd(x, b0, r00); r01 = Vector256.FusedMultiplyAdd(x, b1, r01);
            x = Vector256.Create(a1[offset]);
            r10 = Vector256.FusedMultiplyAdd(x, b0, r10); r11 = Vector256.FusedMultiplyAdd(x, b1, r11);
            x = Vector256.Create(a2[offset]);
            r20 = Vector256.FusedMultiplyAdd(x, b0, r20); r21 = Vector256.FusedMultiplyAdd(x, b1, r21);
            x = Vector256.Create(a3[offset]);
            r30 = Vector256.FusedMultiplyAdd(x, b0, r30); r31 = Vector256.FusedMultiplyAdd(x, b1, r31);
            x = Vector256.Create(a4[offset]);
            r40 = Vector256.FusedMultiplyAdd(x, b0, r40); r41 = Vector256.FusedMultiplyAdd(x, b1, r41);
            x = Vector256.Create(a5[offset]);
            r50 = Vector256.FusedMultiplyAdd(x, b0, r50); r51 = Vector256.FusedMultiplyAdd(x, b1, r51);
        }
        if (relu)
        {
            r00 = Relu(r00); r01 = Relu(r01); r10 = Relu(r10); r11 = Relu(r11); r20 = Relu(r20); r21 = Relu(r21);
            r30 = Relu(r30); r31 = Relu(r31); r40 = Relu(r40); r41 = Relu(r41); r50 = Relu(r50); r51 = Relu(r51);
        }
        float* c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        if (count == 6)
        {
            r00.Store(c); r01.Store(c + 8); r10.Store(c1); r11.Store(c1 + 8); r20.Store(c2); r21.Store(c2 + 8);
            r30.Store(c3); r31.Store(c3 + 8); r40.Store(c4); r41.Store(c4 + 8); r50.Store(c5); r51.Store(c5 + 8);
            return;
        }
        r00.Store(c); r01.Store(c + 8);
        if (count > 1) { r10.Store(c1); r11.Store(c1 + 8); }
        if (count > 2) { r20.Store(c2); r21.Store(c2 + 8); }
        if (count > 3) { r30.Store(c3); r31.Store(c3 + 8); }
        if (count > 4) { r40.Store(c4); r41.Store(c4 + 8); }
    }

    // One row of c, 8 columns: the rows a 6-row block leaves over.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows1x8(float* a, int cs, float* b, int* rows, float* c, int k, float v, bool relu)
    {
        Vector256<float> r0 = Vector256.Create(v);
        long offset = 0;
        for (int p = 0; p < k; p++, offset += cs)
            r0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[offset]), Vector256.Load(b + rows[p]), r0);
        (relu ? Relu(r0) : r0).Store(c);
    }

    // ---------------- c = sum over a group's examples of A_e B_eᵀ: the weight gradient ----------------

    /// <summary>
    /// c[i, j] = sum_{e &lt; count} sum_{p &lt; k} a[e * aStride + i * k + p] * b[e * bStride + bRows[j] + p]
    /// for i &lt; m, j &lt; n: g·colᵀ summed over a group of examples; c (m x n) is overwritten.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GroupDots(VectorPath path, float* a, long aStride, float* b, long bStride, int* bRows, int count, float* c, int m, int n, int k)
    {
        if (path == VectorPath.Avx2 && k >= 8)
        {
            GroupDotsAvx2(a, aStride, b, bStride, bRows, count, c, m, n, k);
            return;
        }
        if (path != VectorPath.Avx512 || k < 16)
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float s = 0f;
                    for (int e = 0; e < count; e++)
                        s += TensorPrimitives.Dot(new ReadOnlySpan<float>(a + e * aStride + (long)i * k, k), new ReadOnlySpan<float>(b + e * bStride + bRows[j], k));
                    c[(long)i * n + j] = s;
                }
            return;
        }
        var tail = TailMask(k);
        int* aRows = stackalloc int[4];
        int i0 = 0;
        for (; i0 + 4 <= m; i0 += 4)
        {
            for (int r = 0; r < 4; r++) aRows[r] = (i0 + r) * k;
            int j0 = 0;
            for (; j0 + 4 <= n; j0 += 4) Dots4x4(a + (long)i0 * k, aStride, b, bStride, bRows + j0, count, k, tail, c + (long)i0 * n + j0, n);
            // A column left over: one row of b against the four rows of a, written down a column of c.
            for (; j0 < n; j0++) Dots1x4(b + bRows[j0], bStride, a, aStride, aRows, count, k, tail, c + (long)i0 * n + j0, n);
        }
        for (; i0 < m; i0++)
        {
            int j0 = 0;
            for (; j0 + 4 <= n; j0 += 4) Dots1x4(a + (long)i0 * k, aStride, b, bStride, bRows + j0, count, k, tail, c + (long)i0 * n + j0, 1);
            for (; j0 < n; j0++) c[(long)i0 * n + j0] = Dots1x1(a + (long)i0 * k, aStride, b + bRows[j0], bStride, count, k, tail);
        }
    }

    /// <summary>
    /// The last vector of a row of length k &gt;= 16 is read ending at k; this mask keeps only its
    /// lanes past the last whole vector (all zero when k is a multiple of 16, and then unused).
    /// </summary>
    private static Vector512<float> TailMask(int k) =>
        Vector512.LoadUnsafe(ref s_tailMask[k % 16]).AsSingle();

    /// <summary>The first n lanes (n in [0, 16]) set, for masked loads and stores of short rows.</summary>
    private static Vector512<float> LaneMask(int n) =>
        Vector512.LoadUnsafe(ref s_tailMask[16 - n]).AsSingle() ^ Vector512<uint>.AllBitsSet.AsSingle();

    // Four rows of a against four rows of b: 16 accumulators; eight loads feed 16 FMAs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots4x4(float* a, long aStride, float* b, long bStride, int* bRows, int count, int k, Vector512<float> tail, float* c, int ldc)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        int whole = k & ~15;
        for (int e = 0; e < count; e++)
        {
            float* a0 = a + e * aStride, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
            float* be = b + e * bStride, b0 = be + bRows[0], b1 = be + bRows[1], b2 = be + bRows[2], b3 = be + bRows[3];
            for (int p = 0; p < whole; p += 16)
            {
                var y0 = Vector512.Load(b0 + p); var y1 = Vector512.Load(b1 + p); var y2 = Vector512.Load(b2 + p); var y3 = Vector512.Load(b3 + p);
                var x = Vector512.Load(a0 + p);
                s00 = Vector512.FusedMultiplyAdd(x, y0, s00); s01 = Vector512.FusedMultiplyAdd(x, y1, s01);
                s02 = Vector512.FusedMultiplyAdd(x, y2, s02); s03 = Vector512.FusedMultiplyAdd(x, y3, s03);
                x = Vector512.Load(a1 + p);
                s10 = Vector512.FusedMultiplyAdd(x, y0, s10); s11 = Vector512.FusedMultiplyAdd(x, y1, s11);
                s12 = Vector512.FusedMultiplyAdd(x, y2, s12); s13 = Vector512.FusedMultiplyAdd(x, y3, s13);
                x = Vector512.Load(a2 + p);
                s20 = Vector512.FusedMultiplyAdd(x, y0, s20); s21 = Vector512.FusedMultiplyAdd(x, y1, s21);
                s22 = Vector512.FusedMultiplyAdd(x, y2, s22); s23 = Vector512.FusedMultiplyAdd(x, y3, s23);
                x = Vector512.Load(a3 + p);
                s30 = Vector512.FusedMultiplyAdd(x, y0, s30); s31 = Vector512.FusedMultiplyAdd(x, y1, s31);
                s32 = Vector512.FusedMultiplyAdd(x, y2, s32); s33 = Vector512.FusedMultiplyAdd(x, y3, s33);
            }
            if (whole == k) continue;
            {
                // The last 16 values of each row, with the ones the loop above already took masked off.
                int p = k - 16;
                var y0 = Vector512.Load(b0 + p); var y1 = Vector512.Load(b1 + p); var y2 = Vector512.Load(b2 + p); var y3 = Vector512.Load(b3 + p);
                var x = Vector512.Load(a0 + p) & tail;
                s00 = Vector512.FusedMultiplyAdd(x, y0, s00); s01 = Vector512.FusedMultiplyAdd(x, y1, s01);
                s02 = Vector512.FusedMultiplyAdd(x, y2, s02); s03 = Vector512.FusedMultiplyAdd(x, y3, s03);
                x = Vector512.Load(a1 + p) & tail;
                s10 = Vector512.FusedMultiplyAdd(x, y0, s10); s11 = Vector512.FusedMultiplyAdd(x, y1, s11);
                s12 = Vector512.FusedMultiplyAdd(x, y2, s12); s13 = Vector512.FusedMultiplyAdd(x, y3, s13);
                x = Vector512.Load(a2 + p) & tail;
                s20 = Vector512.FusedMultiplyAdd(x, y0, s20); s21 = Vector512.FusedMultiplyAdd(x, y1, s21);
                s22 = Vector512.FusedMultiplyAdd(x, y2, s22); s23 = Vector512.FusedMultiplyAdd(x, y3, s23);
                x = Vector512.Load(a3 + p) & tail;
                s30 = Vector512.FusedMultiplyAdd(x, y0, s30); s31 = Vector512.FusedMultiplyAdd(x, y1, s31);
                s32 = Vector512.FusedMultiplyAdd(x, y2, s32); s33 = Vector512.FusedMultiplyAdd(x, y3, s33);
            }
        }
        float* c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        c[0] = Vector512.Sum(s00); c[1] = Vector512.Sum(s01); c[2] = Vector512.Sum(s02); c[3] = Vector512.Sum(s03);
        c1[0] = Vector512.Sum(s10); c1[1] = Vector512.Sum(s11); c1[2] = Vector512.Sum(s12); c1[3] = Vector512.Sum(s13);
        c2[0] = Vector512.Sum(s20); c2[1] = Vector512.Sum(s21); c2[2] = Vector512.Sum(s22); c2[3] = Vector512.Sum(s23);
        c3[0] = Vector512.Sum(s30); c3[1] = Vector512.Sum(s31); c3[2] = Vector512.Sum(s32); c3[3] = Vector512.Sum(s33);
    }

    // One row of a against the four rows of b at bRows, written to c[0], c[ldc], c[2 ldc], c[3 ldc].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots1x4(float* a, long aStride, float* b, long bStride, int* bRows, int count, int k, Vector512<float> tail, float* c, int ldc)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int whole = k & ~15;
        for (int e = 0; e < count; e++)
        {
            float* a0 = a + e * aStride;
            float* be = b + e * bStride, b0 = be + bRows[0], b1 = be + bRows[1], b2 = be + bRows[2], b3 = be + bRows[3];
            for (int p = 0; p < whole; p += 16)
            {
                var x = Vector512.Load(a0 + p);
                s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b0 + p), s0);
                s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b1 + p), s1);
                s2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b2 + p), s2);
                s3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b3 + p), s3);
            }
            if (whole == k) continue;
            {
                int p = k - 16;
                var x = Vector512.Load(a0 + p) & tail;
                s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b0 + p), s0);
                s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b1 + p), s1);
                s2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b2 + p), s2);
                s3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b3 + p), s3);
            }
        }
        c[0] = Vector512.Sum(s0); c[ldc] = Vector512.Sum(s1); c[2L * ldc] = Vector512.Sum(s2); c[3L * ldc] = Vector512.Sum(s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dots1x1(float* a, long aStride, float* b, long bStride, int count, int k, Vector512<float> tail)
    {
        Vector512<float> s = default;
        int whole = k & ~15;
        for (int e = 0; e < count; e++)
        {
            float* a0 = a + e * aStride, b0 = b + e * bStride;
            for (int p = 0; p < whole; p += 16) s = Vector512.FusedMultiplyAdd(Vector512.Load(a0 + p), Vector512.Load(b0 + p), s);
            if (whole < k) s = Vector512.FusedMultiplyAdd(Vector512.Load(a0 + k - 16) & tail, Vector512.Load(b0 + k - 16), s);
        }
        return Vector512.Sum(s);
    }

    // The AVX2 GroupDots (k >= 8): two rows of a against four of b, 8 ymm chains (16 would not fit in 16 registers).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GroupDotsAvx2(float* a, long aStride, float* b, long bStride, int* bRows, int count, float* c, int m, int n, int k)
    {
        var tail = Vector256.LoadUnsafe(ref s_tailMask[8 + k % 8]).AsSingle();
        int i0 = 0;
        for (; i0 + 2 <= m; i0 += 2)
        {
            int j0 = 0;
            for (; j0 + 4 <= n; j0 += 4) Dots2x4(a + (long)i0 * k, aStride, b, bStride, bRows + j0, count, k, tail, c + (long)i0 * n + j0, n);
            for (; j0 < n; j0++)
            {
                c[(long)i0 * n + j0] = Dots1x1(a + (long)i0 * k, aStride, b + bRows[j0], bStride, count, k, tail);
                c[(long)(i0 + 1) * n + j0] = Dots1x1(a + (long)(i0 + 1) * k, aStride, b + bRows[j0], bStride, count, k, tail);
            }
        }
        for (; i0 < m; i0++)
            for (int j0 = 0; j0 < n; j0++) c[(long)i0 * n + j0] = Dots1x1(a + (long)i0 * k, aStride, b + bRows[j0], bStride, count, k, tail);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots2x4(float* a, long aStride, float* b, long bStride, int* bRows, int count, int k, Vector256<float> tail, float* c, int ldc)
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        int whole = k & ~7;
        for (int e = 0; e < count; e++)
        {
            float* a0 = a + e * aStride, a1 = a0 + k;
            float* be = b + e * bStride, b0 = be + bRows[0], b1 = be + bRows[1], b2 = be + bRows[2], b3 = be + bRows[3];
            for (int p = 0; p < whole; p += 8)
            {
                var y0 = Vector256.Load(b0 + p); var y1 = Vector256.Load(b1 + p); var y2 = Vector256.Load(b2 + p); var y3 = Vector256.Load(b3 + p);
                var x = Vector256.Load(a0 + p);
                s00 = Vector256.FusedMultiplyAdd(x, y0, s00); s01 = Vector256.FusedMultiplyAdd(x, y1, s01);
                s02 = Vector256.FusedMultiplyAdd(x, y2, s02); s03 = Vector256.FusedMultiplyAdd(x, y3, s03);
                x = Vector256.Load(a1 + p);
                s10 = Vector256.FusedMultiplyAdd(x, y0, s10); s11 = Vector256.FusedMultiplyAdd(x, y1, s11);
                s12 = Vector256.FusedMultiplyAdd(x, y2, s12); s13 = Vector256.FusedMultiplyAdd(x, y3, s13);
            }
            if (whole == k) continue;
            {
                // The last 8 values of each row, with the ones the loop above already took masked off.
                int p = k - 8;
                var y0 = Vector256.Load(b0 + p); var y1 = Vector256.Load(b1 + p); var y2 = Vector256.Load(b2 + p); var y3 = Vector256.Load(b3 + p);
                var x = Vector256.Load(a0 + p) & tail;
                s00 = Vector256.FusedMultiplyAdd(x, y0, s00); s01 = Vector256.FusedMultiplyAdd(x, y1, s01);
                s02 = Vector256.FusedMultiplyAdd(x, y2, s02); s03 = Vector256.FusedMultiplyAdd(x, y3, s03);
                x = Vector256.Load(a1 + p) & tail;
                s10 = Vector256.FusedMultiplyAdd(x, y0, s10); s11 = Vector256.FusedMultiplyAdd(x, y1, s11);
                s12 = Vector256.FusedMultiplyAdd(x, y2, s12); s13 = Vector256.FusedMultiplyAdd(x, y3, s13);
            }
        }
        float* c1 = c + ldc;
        c[0] = Vector256.Sum(s00); c[1] = Vector256.Sum(s01); c[2] = Vector256.Sum(s02); c[3] = Vector256.Sum(s03);
        c1[0] = Vector256.Sum(s10); c1[1] = Vector256.Sum(s11); c1[2] = Vector256.Sum(s12); c1[3] = Vector256.Sum(s13);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dots1x1(float* a, long aStride, float* b, long bStride, int count, int k, Vector256<float> tail)
    {
        Vector256<float> s = default;
        int whole = k & ~7;
        for (int e = 0; e < count; e++)
        {
            float* a0 = a + e * aStride, b0 = b + e * bStride;
            for (int p = 0; p < whole; p += 8) s = Vector256.FusedMultiplyAdd(Vector256.Load(a0 + p), Vector256.Load(b0 + p), s);
            if (whole < k) s = Vector256.FusedMultiplyAdd(Vector256.Load(a0 + k - 8) & tail, Vector256.Load(b0 + k - 8), s);
        }
        return Vector256.Sum(s);
    }

    private static void CheckExtent(int length, long needed, string argument)
    {
        if (length < needed) throw new ArgumentException($"'{argument}' has {length} values but the convolution needs {needed}", argument);
    }
}
