using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Max pooling of images [channels, height, width] over k x k windows moved by a stride, without
/// padding, for a whole batch. Examples are shared across <see cref="KernelThreads"/>; each is
/// computed alone, so the results do not depend on the thread count.
/// </summary>
public static unsafe class PoolKernels
{
    // Batches with fewer input values than this stay on the calling thread.
    private const long ParallelThreshold = 1L << 16;

    /// <summary>y[b, c, i, j] = the maximum of x[b, c] over the window at (i stride, j stride); NaN propagates.</summary>
    public static void MaxForward(ReadOnlySpan<float> x, Span<float> y, int batch, int channels, int height, int width, int kernel, int stride)
    {
        var job = Job(x.Length, y.Length, batch, channels, height, width, kernel, stride);
        fixed (float* px = x, py = y)
        {
            job.X = px; job.Y = py;
            Run(&ForwardExamples, ref job);
        }
    }

    /// <summary>
    /// xGradient += the pooled gradient, all of each window's gradient to the first element equal to
    /// the window's maximum (the one the forward pass kept, row by row), as PyTorch picks it.
    /// </summary>
    public static void MaxBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> yGradient, Span<float> xGradient,
        int batch, int channels, int height, int width, int kernel, int stride)
    {
        var job = Job(x.Length, y.Length, batch, channels, height, width, kernel, stride);
        if (yGradient.Length < y.Length) throw new ArgumentException($"'yGradient' has {yGradient.Length} values but the pooling needs {y.Length}", nameof(yGradient));
        if (xGradient.Length < x.Length) throw new ArgumentException($"'xGradient' has {xGradient.Length} values but the pooling needs {x.Length}", nameof(xGradient));
        fixed (float* px = x, py = y, pg = yGradient, pd = xGradient)
        {
            job.X = px; job.Y = py; job.YGradient = pg; job.XGradient = pd;
            Run(&BackwardExamples, ref job);
        }
    }

    /// <summary>
    /// The backward pass of maxpool(relu(x)) in one step, given the relu's values and the pooled ones:
    /// xGradient += relu'(x) · (the pooled gradient at each window's first maximum). A window whose
    /// maximum is not above zero passes nothing, as relu' is zero at its maximum. With windows that do
    /// not overlap (stride &gt;= kernel) these are the bits of <see cref="MaxBackward"/> into a cleared
    /// relu gradient followed by <see cref="ReluKernels.Backward"/>, without that gradient's pass.
    /// With <paramref name="overwrite"/> xGradient is written instead, with the bits adding into zeros
    /// gives, so the caller need not clear it first.
    /// </summary>
    public static void MaxBackwardThroughRelu(ReadOnlySpan<float> relu, ReadOnlySpan<float> y, ReadOnlySpan<float> yGradient, Span<float> xGradient,
        int batch, int channels, int height, int width, int kernel, int stride, bool overwrite = false)
    {
        var job = Job(relu.Length, y.Length, batch, channels, height, width, kernel, stride);
        if (yGradient.Length < y.Length) throw new ArgumentException($"'yGradient' has {yGradient.Length} values but the pooling needs {y.Length}", nameof(yGradient));
        if (xGradient.Length < relu.Length) throw new ArgumentException($"'xGradient' has {xGradient.Length} values but the pooling needs {relu.Length}", nameof(xGradient));
        fixed (float* px = relu, py = y, pg = yGradient, pd = xGradient)
        {
            job.X = px; job.Y = py; job.YGradient = pg; job.XGradient = pd; job.ThroughRelu = true; job.Overwrite = overwrite;
            Run(&BackwardExamples, ref job);
        }
    }

    private struct PoolJob
    {
        public float* X, Y, YGradient, XGradient;
        // Windows whose maximum is not above zero pass no gradient (MaxBackwardThroughRelu).
        public bool ThroughRelu;
        // XGradient is written, not added to (MaxBackwardThroughRelu's overwrite).
        public bool Overwrite;
        public int Batch, Channels, Height, Width, Kernel, Stride, OutHeight, OutWidth;
    }

    private static PoolJob Job(int xLength, int yLength, int batch, int channels, int height, int width, int kernel, int stride)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be >= 0");
        if (channels <= 0 || height <= 0 || width <= 0) throw new ArgumentOutOfRangeException(nameof(channels), "channels, height and width must be > 0");
        if (kernel <= 0 || kernel > height || kernel > width) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "kernel must be in [1, min(height, width)]");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be > 0");
        int outHeight = (height - kernel) / stride + 1, outWidth = (width - kernel) / stride + 1;
        if (xLength < (long)batch * channels * height * width) throw new ArgumentException($"'x' has {xLength} values but the pooling needs {(long)batch * channels * height * width}", "x");
        if (yLength < (long)batch * channels * outHeight * outWidth) throw new ArgumentException($"'y' has {yLength} values but the pooling needs {(long)batch * channels * outHeight * outWidth}", "y");
        return new PoolJob { Batch = batch, Channels = channels, Height = height, Width = width, Kernel = kernel, Stride = stride, OutHeight = outHeight, OutWidth = outWidth };
    }

    private static void Run(delegate*<PoolJob*, int, int, void> body, ref PoolJob job)
    {
        fixed (PoolJob* p = &job)
        {
            long work = (long)job.Batch * job.Channels * job.Height * job.Width;
            int parts = work < ParallelThreshold ? 1 : Math.Min(KernelThreads.Parts, job.Batch);
            if (parts <= 1 || !KernelThreads.TryRun(body, p, job.Batch, 1, parts)) body(p, 0, job.Batch);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardExamples(PoolJob* job, int start, int end)
    {
        int h = job->Height, w = job->Width, k = job->Kernel, s = job->Stride, oh_ = job->OutHeight, ow_ = job->OutWidth;
        int planes = job->Channels, outputs = oh_ * ow_;
        if (Avx2.IsSupported && k == 2 && s == 2 && ow_ >= 4)
        {
            Pairs2x2Forward(job, start, end);
            return;
        }
        if (Avx2.IsSupported && outputs >= 8 && outputs <= MaxGatheredOutputs)
        {
            GatherForward(job, start, end);
            return;
        }
        for (long plane = (long)start * planes; plane < (long)end * planes; plane++)
        {
            float* x = job->X + plane * h * w, y = job->Y + plane * oh_ * ow_;
            for (int oh = 0; oh < oh_; oh++)
                for (int ow = 0; ow < ow_; ow++)
                {
                    float* window = x + (long)oh * s * w + ow * s;
                    // Vector128.Max on one lane is MathF.Max (NaN wins, +0 above -0) without its
                    // branches, which random data mispredicts half the time.
                    var best = Vector128.CreateScalarUnsafe(float.NegativeInfinity);
                    for (int kh = 0; kh < k; kh++)
                        for (int kw = 0; kw < k; kw++) best = Vector128.Max(best, Vector128.CreateScalarUnsafe(window[kh * w + kw]));
                    y[oh * ow_ + ow] = best.ToScalar();
                }
        }
    }

    /// <summary>
    /// 2x2 windows at stride 2, eight outputs at a time from two rows of 16 inputs (four from two rows
    /// of 8 when a row has fewer than 8 outputs): the maximum of the two rows, then of each even and
    /// odd column (a shuffle apart), with no gathers. The IEEE
    /// maximum is commutative and associative, so the result is the one any other order gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pairs2x2Forward(PoolJob* job, int start, int end)
    {
        int h = job->Height, w = job->Width, oh_ = job->OutHeight, ow_ = job->OutWidth;
        for (long plane = (long)start * job->Channels; plane < (long)end * job->Channels; plane++)
        {
            float* x = job->X + plane * h * w, y = job->Y + plane * oh_ * ow_;
            for (int oh = 0; oh < oh_; oh++)
            {
                float* top = x + (long)2 * oh * w;
                MaxPairs(top, top + w, y + (long)oh * ow_, ow_);
            }
        }
    }

    /// <summary>
    /// row[j] = the maximum of top[2j], top[2j + 1], bottom[2j] and bottom[2j + 1] for j &lt; outWidth:
    /// one output row of 2 x 2 pooling by 2 (AVX2): the rows' maximum, then each pair's
    /// (<see cref="PairMaxima"/>, which ConvKernels.ForwardReluMaxPool shares). ForwardReluMaxPool also
    /// pools with it the one row pair a batch-1 call's two threads share.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MaxPairs(float* top, float* bottom, float* row, int outWidth)
    {
        if (outWidth < 4)
        {
            for (int j = 0; j < outWidth; j++)
            {
                var left = Vector128.Max(Vector128.CreateScalarUnsafe(top[2 * j]), Vector128.CreateScalarUnsafe(bottom[2 * j]));
                var right = Vector128.Max(Vector128.CreateScalarUnsafe(top[2 * j + 1]), Vector128.CreateScalarUnsafe(bottom[2 * j + 1]));
                row[j] = Vector128.Max(left, right).ToScalar();
            }
            return;
        }
        if (outWidth < 8)
        {
            // Four outputs at a time from two rows of 8 inputs (LeNet's second pooling has 5 a row).
            for (int j = 0; ; j += 4)
            {
                int at = Math.Min(j, outWidth - 4);
                var low = Vector128.Max(Vector128.Load(top + 2 * at), Vector128.Load(bottom + 2 * at));
                var high = Vector128.Max(Vector128.Load(top + 2 * at + 4), Vector128.Load(bottom + 2 * at + 4));
                Vector128.Max(Sse.Shuffle(low, high, 0b10_00_10_00), Sse.Shuffle(low, high, 0b11_01_11_01)).Store(row + at);
                if (at + 4 >= outWidth) break;
            }
            return;
        }
        for (int j = 0; ; j += 8)
        {
            // The last eight may overlap the previous ones; they store the same values again.
            int at = Math.Min(j, outWidth - 8);
            var low = Vector256.Max(Vector256.Load(top + 2 * at), Vector256.Load(bottom + 2 * at));
            var high = Vector256.Max(Vector256.Load(top + 2 * at + 8), Vector256.Load(bottom + 2 * at + 8));
            PairMaxima(low, high).Store(row + at);
            if (at + 8 >= outWidth) break;
        }
    }

    /// <summary>
    /// The maxima of the eight neighbouring pairs of 16 values (low then high): 2 x 2 pooling's last
    /// step, after the maximum of its two rows (AVX2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> PairMaxima(Vector256<float> low, Vector256<float> high)
    {
        // Lanes [o0 o1 o4 o5 | o2 o3 o6 o7], put in order by one cross-lane permute.
        var pairs = Vector256.Max(Avx.Shuffle(low, high, 0b10_00_10_00), Avx.Shuffle(low, high, 0b11_01_11_01));
        return Avx2.Permute4x64(pairs.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>
    /// The gradient of 2 x 2 pooling by 2 (rows of 4 windows or more): the windows do not overlap, so every input takes
    /// its window's gradient when it is the window's first tap equal to the kept maximum (the
    /// earlier tap of its pair and the top pair first), and is left untouched otherwise. With
    /// <paramref name="write"/> (windows that cover the whole input) the others are set to zero instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PairsBackward(PoolJob* job, int start, int end, bool write)
    {
        int h = job->Height, w = job->Width, oh_ = job->OutHeight, ow_ = job->OutWidth;
        bool throughRelu = job->ThroughRelu;
        var left = Vector128.Create(-1, 0, -1, 0).AsSingle();
        var firstWindows = Vector128.Create(0, 0, 1, 1);
        var lastWindows = Vector128.Create(2, 2, 3, 3);
        for (long plane = (long)start * job->Channels; plane < (long)end * job->Channels; plane++)
        {
            float* x = job->X + plane * h * w, dx = job->XGradient + plane * h * w;
            float* y = job->Y + plane * oh_ * ow_, dy = job->YGradient + plane * oh_ * ow_;
            for (int i = 0; i < oh_; i++, y += ow_, dy += ow_)
            {
                long row = (long)2 * i * w;
                for (int j = 0; ; j += 4)
                {
                    int at = Math.Min(j, ow_ - 4);
                    // Windows the previous four already took (when the last four overlap them) are skipped.
                    var done = Vector128.Create(j - at);
                    var keepLow = Vector128.GreaterThanOrEqual(firstWindows, done).AsSingle();
                    var keepHigh = Vector128.GreaterThanOrEqual(lastWindows, done).AsSingle();
                    var best = Vector128.Load(y + at);
                    var gradient = Vector128.Load(dy + at);
                    // Each window's maximum and gradient under both of its columns.
                    var bestLow = Sse.UnpackLow(best, best);
                    var bestHigh = Sse.UnpackHigh(best, best);
                    var gradientLow = Sse.UnpackLow(gradient, gradient);
                    var gradientHigh = Sse.UnpackHigh(gradient, gradient);
                    float* top = x + row + 2 * at, bottom = top + w;
                    float* dTop = dx + row + 2 * at, dBottom = dTop + w;
                    var takenLow = Taken(Vector128.Load(top), Vector128.Load(bottom), bestLow, left, out var bottomLow);
                    var takenHigh = Taken(Vector128.Load(top + 4), Vector128.Load(bottom + 4), bestHigh, left, out var bottomHigh);
                    if (throughRelu)
                    {
                        // A window whose maximum is not above zero passes nothing.
                        var positive = Vector128.GreaterThan(best, Vector128<float>.Zero);
                        var positiveLow = Sse.UnpackLow(positive, positive);
                        var positiveHigh = Sse.UnpackHigh(positive, positive);
                        takenLow &= positiveLow; bottomLow &= positiveLow;
                        takenHigh &= positiveHigh; bottomHigh &= positiveHigh;
                    }
                    if (write)
                    {
                        WriteWhere(dTop, takenLow, keepLow, gradientLow);
                        WriteWhere(dTop + 4, takenHigh, keepHigh, gradientHigh);
                        WriteWhere(dBottom, bottomLow, keepLow, gradientLow);
                        WriteWhere(dBottom + 4, bottomHigh, keepHigh, gradientHigh);
                    }
                    else
                    {
                        AddWhere(dTop, takenLow & keepLow, gradientLow);
                        AddWhere(dTop + 4, takenHigh & keepHigh, gradientHigh);
                        AddWhere(dBottom, bottomLow & keepLow, gradientLow);
                        AddWhere(dBottom + 4, bottomHigh & keepHigh, gradientHigh);
                    }
                    if (at + 4 >= ow_) break;
                }
            }
        }
    }

    // For two windows' pairs of top and bottom taps: which top tap, and (out) which bottom tap, is the window's first equal to its maximum.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Taken(Vector128<float> top, Vector128<float> bottom, Vector128<float> best, Vector128<float> left, out Vector128<float> takenBottom)
    {
        var equalTop = Vector128.Equals(top, best);
        var neighbourTop = Sse.Shuffle(equalTop, equalTop, 0b10_11_00_01);
        var equalBottom = Vector128.Equals(bottom, best);
        var neighbourBottom = Sse.Shuffle(equalBottom, equalBottom, 0b10_11_00_01);
        takenBottom = Vector128.AndNot(equalBottom & (left | ~neighbourBottom), equalTop | neighbourTop);
        return equalTop & (left | ~neighbourTop);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWhere(float* dx, Vector128<float> mask, Vector128<float> gradient)
    {
        var old = Vector128.Load(dx);
        Vector128.ConditionalSelect(mask, old + gradient, old).Store(dx);
    }

    // The lanes under keep get the gradient where taken and zero elsewhere; + 0 gives the bits of
    // adding into zeros (a -0 gradient becomes +0). The others (windows already written) stay.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteWhere(float* dx, Vector128<float> taken, Vector128<float> keep, Vector128<float> gradient)
    {
        var value = (gradient & taken) + Vector128<float>.Zero;
        Vector128.ConditionalSelect(keep, value, Vector128.Load(dx)).Store(dx);
    }

    // The offsets of a plane's windows live on the stack: at most 4 KB of them.
    private const int MaxGatheredOutputs = 1024;

    /// <summary>
    /// Eight windows at a time: one gather per tap and an IEEE maximum (as MathF.Max) across lanes,
    /// instead of a chain of dependent scalar maxima per window.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherForward(PoolJob* job, int start, int end)
    {
        int h = job->Height, w = job->Width, k = job->Kernel, s = job->Stride, ow_ = job->OutWidth, outputs = job->OutHeight * ow_;
        int* corners = stackalloc int[outputs];
        for (int j = 0; j < outputs; j++) corners[j] = j / ow_ * s * w + j % ow_ * s;
        for (long plane = (long)start * job->Channels; plane < (long)end * job->Channels; plane++)
        {
            float* x = job->X + plane * h * w, y = job->Y + plane * outputs;
            for (int j = 0; ; j += 8)
            {
                // The last eight may overlap the previous ones; they store the same values again.
                int at = Math.Min(j, outputs - 8);
                var offsets = Vector256.Load(corners + at);
                var best = Vector256.Create(float.NegativeInfinity);
                for (int kh = 0; kh < k; kh++)
                    for (int kw = 0; kw < k; kw++) best = Vector256.Max(best, Avx2.GatherVector256(x + kh * w + kw, offsets, 4));
                best.Store(y + at);
                if (at + 8 >= outputs) break;
            }
        }
    }

    /// <summary>
    /// Eight windows at a time find the offset of their first tap equal to the kept maximum (with
    /// gathers, as the forward pass), then each window adds its gradient there: one add per window.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherBackward(PoolJob* job, int start, int end)
    {
        int h = job->Height, w = job->Width, k = job->Kernel, s = job->Stride, ow_ = job->OutWidth, outputs = job->OutHeight * ow_;
        int* corners = stackalloc int[outputs];
        for (int j = 0; j < outputs; j++) corners[j] = j / ow_ * s * w + j % ow_ * s;
        int* winners = stackalloc int[8];
        for (long plane = (long)start * job->Channels; plane < (long)end * job->Channels; plane++)
        {
            float* x = job->X + plane * h * w, dx = job->XGradient + plane * h * w;
            float* y = job->Y + plane * outputs, dy = job->YGradient + plane * outputs;
            for (int j = 0; ; j += 8)
            {
                int at = Math.Min(j, outputs - 8);
                var offsets = Vector256.Load(corners + at);
                var best = Vector256.Load(y + at);
                var pending = Vector256<int>.AllBitsSet;
                var winner = Vector256.Create(-1);
                for (int kh = 0; kh < k; kh++)
                    for (int kw = 0; kw < k; kw++)
                    {
                        var taken = Vector256.Equals(Avx2.GatherVector256(x + kh * w + kw, offsets, 4), best).AsInt32() & pending;
                        winner = Vector256.ConditionalSelect(taken, Vector256.Create(kh * w + kw), winner);
                        pending &= ~taken;
                    }
                winner.Store(winners);
                // Windows the previous eight already took (when the last eight overlap them) are skipped.
                for (int lane = j - at; lane < 8; lane++)
                    if (winners[lane] >= 0 && (!job->ThroughRelu || y[at + lane] > 0f)) dx[corners[at + lane] + winners[lane]] += dy[at + lane];
                if (at + 8 >= outputs) break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardExamples(PoolJob* job, int start, int end)
    {
        int h = job->Height, w = job->Width, k = job->Kernel, s = job->Stride, oh_ = job->OutHeight, ow_ = job->OutWidth;
        int planes = job->Channels, outputs = oh_ * ow_;
        bool pairs = k == 2 && s == 2 && ow_ >= 4 && Sse.IsSupported;
        // A written gradient: pairs of rows that cover the whole plane write every input; any other
        // geometry clears the examples' gradients and adds into them.
        bool write = job->Overwrite && pairs && h == 2 * oh_ && w == 2 * ow_;
        if (job->Overwrite && !write) new Span<float>(job->XGradient + (long)start * planes * h * w, (end - start) * planes * h * w).Clear();
        if (pairs)
        {
            PairsBackward(job, start, end, write);
            return;
        }
        if (Avx2.IsSupported && outputs >= 8 && outputs <= MaxGatheredOutputs)
        {
            GatherBackward(job, start, end);
            return;
        }
        for (long plane = (long)start * planes; plane < (long)end * planes; plane++)
        {
            float* x = job->X + plane * h * w, dx = job->XGradient + plane * h * w;
            float* y = job->Y + plane * oh_ * ow_, dy = job->YGradient + plane * oh_ * ow_;
            for (int oh = 0; oh < oh_; oh++)
                for (int ow = 0; ow < ow_; ow++)
                {
                    float* window = x + (long)oh * s * w + ow * s, windowGradient = dx + (long)oh * s * w + ow * s;
                    float best = y[oh * ow_ + ow];
                    int gradient = job->ThroughRelu && !(best > 0f) ? 0 : BitConverter.SingleToInt32Bits(dy[oh * ow_ + ow]);
                    // Without branches: every tap adds the gradient's bits masked to zero unless it is
                    // the first tap equal to the maximum ("pending" clears once one has taken it).
                    int pending = -1;
                    for (int kh = 0; kh < k; kh++)
                        for (int kw = 0; kw < k; kw++)
                        {
                            int take = pending & -(window[kh * w + kw] == best ? 1 : 0);
                            windowGradient[kh * w + kw] += BitConverter.Int32BitsToSingle(gradient & take);
                            pending &= ~take;
                        }
                }
        }
    }
}
