using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Scaled dot-product self-attention of every head in one pass, forward and backward, read straight
/// from the input projection's rows. The projection holds per example [T, 3E]: queries, keys and
/// values side by side, head h in columns h·D .. h·D + D of each (E = heads · D). The context it
/// writes is [T, E] with the heads side by side again, so no permutation into heads and back is
/// ever stored. One unit of work is one example's head. Its keys (forward) or values (backward) are
/// copied once into a transposed [D, T] tile; the score, weight-gradient and the four products
/// (scores = q kᵀ, context = w v, dq = ds k, dk = dsᵀ q, dv = wᵀ g) run as one register-blocked
/// kernel of six rows by sixteen columns (<see cref="MultiplyAdd"/>) on tiles in per-thread
/// scratch, skipping the blocks a causal mask hides; the softmax is eight lanes at a time with
/// <see cref="SingleExp"/>. A unit is computed the same way whichever thread takes it, and units
/// share no output, so results never depend on the thread count.
/// </summary>
public static unsafe class AttentionKernels
{
    // Below this many multiply-adds per call the workers cost more than they save.
    private const long ParallelThreshold = 1L << 17;

    /// <summary>Floats of the softmax weights Forward keeps for Backward, per example: heads · T · T.</summary>
    public static long WeightsSize(int length, int heads) => (long)heads * length * length;

    /// <summary>
    /// context [batch, T, E] = softmax(q kᵀ / √D (+ causal mask)) v for every head, weights
    /// [batch, heads, T, T] = the softmax (0 above the diagonal when causal).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> projected, Span<float> weights, Span<float> context,
        int batch, int length, int heads, int headSize, bool causal)
    {
        Check(projected.Length, weights.Length, context.Length, batch, length, heads, headSize);
        fixed (float* p = projected)
        fixed (float* w = weights)
        fixed (float* o = context)
        {
            var job = new Job { Projected = p, Weights = w, Context = o, Length = length, Heads = heads, HeadSize = headSize, Causal = causal, Scale = Scale(headSize) };
            Run(&ForwardUnits, &job, batch);
        }
    }

    /// <summary>
    /// Adds the gradient of the projection [batch, T, 3E] given the context's gradient, from the
    /// projection and the weights Forward kept; with <paramref name="overwrite"/>, writes it instead
    /// (each unit clears its own columns first, so the products give the bits they would on a
    /// cleared gradient, and the caller need not clear the whole arena).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> projected, ReadOnlySpan<float> weights, ReadOnlySpan<float> contextGradient,
        Span<float> projectedGradient, int batch, int length, int heads, int headSize, bool causal, bool overwrite = false)
    {
        Check(projected.Length, weights.Length, contextGradient.Length, batch, length, heads, headSize);
        if (projectedGradient.Length < projected.Length)
            throw new ArgumentException($"the projection's gradient has {projectedGradient.Length} values but the projection {projected.Length}", nameof(projectedGradient));
        fixed (float* p = projected)
        fixed (float* w = weights)
        fixed (float* g = contextGradient)
        fixed (float* dp = projectedGradient)
        {
            var job = new Job { Projected = p, Weights = w, Context = g, ProjectedGradient = dp, Length = length, Heads = heads, HeadSize = headSize, Causal = causal, Overwrite = overwrite, Scale = Scale(headSize) };
            Run(&BackwardUnits, &job, batch);
        }
    }

    // As the lowered form's constant 1 / √D, rounded to float once.
    private static float Scale(int headSize) => (float)(1 / Math.Sqrt(headSize));

    private static void Check(int projected, int weights, int context, int batch, int length, int heads, int headSize)
    {
        if (batch < 0 || length < 1 || heads < 1 || headSize < 1) throw new ArgumentOutOfRangeException(nameof(length), "attention needs a batch >= 0 and positive sizes");
        long e = (long)heads * headSize;
        if (projected < batch * length * 3 * e) throw new ArgumentException($"the projection has {projected} values but [{batch}, {length}, {3 * e}] needs {batch * length * 3 * e}", nameof(projected));
        if (weights < batch * WeightsSize(length, heads)) throw new ArgumentException($"the weights have {weights} values but {batch} examples need {batch * WeightsSize(length, heads)}", nameof(weights));
        if (context < batch * length * e) throw new ArgumentException($"the context has {context} values but [{batch}, {length}, {e}] needs {batch * length * e}", nameof(context));
    }

    private struct Job
    {
        public float* Projected, Weights, Context, ProjectedGradient;
        public int Length, Heads, HeadSize;
        public bool Causal, Overwrite;
        public float Scale;
    }

    private static void Run(delegate*<Job*, int, int, void> units, Job* job, int batch)
    {
        int count = batch * job->Heads;
        long work = (long)count * job->Length * job->Length * job->HeadSize;
        int parts = work < ParallelThreshold ? 1 : Math.Min(KernelThreads.Parts, count);
        if (parts <= 1 || !KernelThreads.TryRun(units, job, count, 1, parts)) units(job, 0, count);
    }

    // Per-thread scratch for one unit's tiles, grown on first use (the caller and each kernel worker).
    [ThreadStatic] private static float* t_scratch;
    [ThreadStatic] private static long t_scratchFloats;

    private static float* Scratch(long floats)
    {
        if (t_scratchFloats < floats)
        {
            NativeMemory.AlignedFree(t_scratch);
            t_scratch = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
            t_scratchFloats = floats;
        }
        return t_scratch;
    }

    // Rows of the [T, T] tiles are padded to whole vectors, so that every row operation runs on whole Vector256s.
    private static int Padded(int t) => (t + 7) & ~7;

    // A block of at most BlockRows rows starting at row i0: how many of the T columns (padded) it can see.
    private static int VisibleColumns(Job* job, int i0, int rows, int tp) => job->Causal ? Math.Min(tp, Padded(i0 + rows)) : tp;

    // And how many positions its rows sum over (the weights beyond a row's own are exact zeros).
    private static int VisibleDepth(Job* job, int i0, int rows, int t) => job->Causal ? Math.Min(t, i0 + rows) : t;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardUnits(Job* job, int first, int end)
    {
        int t = job->Length, d = job->HeadSize, heads = job->Heads, e = heads * d, row = 3 * e, tp = Padded(t);
        // kᵀ [D, Tp], q / √D [T, D], scores [T, Tp], each row's maximum and then its sum [2T]
        float* keys = Scratch((long)d * tp + (long)t * d + (long)t * tp + 2L * t);
        float* queries = keys + (long)d * tp, scores = queries + (long)t * d, extrema = scores + (long)t * tp;
        for (int unit = first; unit < end; unit++)
        {
            int b = unit / heads, h = unit % heads;
            float* x = job->Projected + (long)b * t * row + h * d;
            float* w = job->Weights + (long)unit * t * t;
            float* o = job->Context + (long)b * t * e + h * d;
            Transpose(x + e, row, keys, t, d, tp);
            for (int i = 0; i < t; i++)
            {
                int k = 0;
                var scale = Vector256.Create(job->Scale);
                for (; k + 8 <= d; k += 8) (Vector256.Load(x + (long)i * row + k) * scale).Store(queries + i * d + k);
                for (; k < d; k++) queries[i * d + k] = x[(long)i * row + k] * job->Scale;
            }
            // scores = (q / √D) kᵀ, a block of rows at a time, over the columns a row block can see (the softmax reads no others).
            for (int i0 = 0; i0 < t; i0 += BlockRows)
            {
                int rows = Math.Min(BlockRows, t - i0);
                MultiplyAdd(queries + i0 * d, d, 1, keys, tp, scores + (long)i0 * tp, tp, rows, VisibleColumns(job, i0, rows, tp), d, overwrite: true);
            }
            // The weights go straight where Forward keeps them when T is whole vectors (their rows are then tp long); else padded here, then copied.
            float* kept = tp == t ? w : scores;
            Softmax(job, scores, kept, extrema, t, tp);
            if (kept != w)
                for (int i = 0; i < t; i++) new ReadOnlySpan<float>(kept + (long)i * tp, t).CopyTo(new Span<float>(w + (long)i * t, t));
            // context = weights v, a block of rows at a time.
            for (int i0 = 0; i0 < t; i0 += BlockRows)
            {
                int rows = Math.Min(BlockRows, t - i0);
                MultiplyAdd(kept + (long)i0 * tp, tp, 1, x + 2 * e, row, o + (long)i0 * e, e, rows, d, VisibleDepth(job, i0, rows, t), overwrite: true);
            }
        }
    }

    /// <summary>
    /// The softmax of each row i of scores [T, Tp] over its first visible = i + 1 (causal) or T columns into the same row of
    /// weights (which may be scores itself); the rest of each weights row becomes 0. The three passes (maxima, exponentials and
    /// their sums, products with the sum's reciprocal, which cost a fraction of the divisions) each run over every row before the next starts, so the rows' independent reductions and
    /// exponentials overlap instead of one short row's chain of latencies waiting on the next; each row's operations are
    /// those of a row taken alone, in the same order. Only a row's last, partly visible vector is masked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Softmax(Job* job, float* scores, float* weights, float* extrema, int t, int tp)
    {
        var ninf = Vector256.Create(float.NegativeInfinity);
        float* maxima = extrema, sums = extrema + t;
        for (int i = 0; i < t; i++)
        {
            float* line = scores + (long)i * tp;
            int visible = Visible(job, i, t), whole = visible & ~7;
            var largest = ninf;
            for (int j = 0; j < whole; j += 8) largest = Vector256.MaxNative(largest, Vector256.Load(line + j));
            if (whole < visible) largest = Vector256.MaxNative(largest, Vector256.ConditionalSelect(Seen(visible - whole), Vector256.Load(line + whole), ninf));
            maxima[i] = Max(largest);
        }
        for (int i = 0; i < t; i++)
        {
            float* line = scores + (long)i * tp;
            int visible = Visible(job, i, t), whole = visible & ~7;
            var shift = Vector256.Create(maxima[i]);
            var total = Vector256<float>.Zero;
            for (int j = 0; j < whole; j += 8)
            {
                var exp = SingleExp.Exp(Vector256.Load(line + j) - shift);
                exp.Store(line + j);
                total += exp;
            }
            if (whole < visible)
            {
                var exp = SingleExp.Exp(Vector256.Load(line + whole) - shift) & Seen(visible - whole);
                exp.Store(line + whole);
                total += exp;
            }
            sums[i] = Vector256.Sum(total);
        }
        for (int i = 0; i < t; i++)
        {
            float* line = scores + (long)i * tp, kept = weights + (long)i * tp;
            int covered = (Visible(job, i, t) + 7) & ~7;
            var reciprocal = Vector256.Create(1 / sums[i]);
            for (int j = 0; j < covered; j += 8) (Vector256.Load(line + j) * reciprocal).Store(kept + j);
            for (int j = covered; j < tp; j += 8) Vector256<float>.Zero.Store(kept + j);
        }
    }

    // How many of row i's T columns a query sees.
    private static int Visible(Job* job, int i, int t) => job->Causal ? i + 1 : t;

    // Eight ones (all bits set) then eight zeros: the eight floats from s_seen + 8 - n have their first n lanes set.
    private static readonly float* s_seen = SeenTable();

    private static float* SeenTable()
    {
        var table = (int*)NativeMemory.AlignedAlloc(16 * sizeof(int), 64);
        for (int k = 0; k < 16; k++) table[k] = k < 8 ? -1 : 0;
        return (float*)table;
    }

    // A vector whose first n (1 to 7) lanes are all ones and the rest zeros.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Seen(int n) => Vector256.Load(s_seen + 8 - n);

    // The largest of eight lanes; vmaxps alone (MaxNative), as the lanes hold no NaN unless the scores do, and then the
    // row's exponentials are NaN and so are all its weights either way.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Max(Vector256<float> v)
    {
        var m = Vector128.MaxNative(v.GetLower(), v.GetUpper());
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardUnits(Job* job, int first, int end)
    {
        int t = job->Length, d = job->HeadSize, heads = job->Heads, e = heads * d, row = 3 * e, tp = Padded(t);
        long square = (long)t * tp;
        // vᵀ [D, Tp]; the weights [T, Tp] (when T is not whole vectors); dweights, then dscores, [T, Tp]; each row's Σ_j w_ij dw_ij [T].
        float* values = Scratch((long)d * tp + 2 * square + t);
        float* padded = values + (long)d * tp, ds = padded + square, dots = ds + square;
        for (int unit = first; unit < end; unit++)
        {
            int b = unit / heads, h = unit % heads;
            float* x = job->Projected + (long)b * t * row + h * d;
            float* dx = job->ProjectedGradient + (long)b * t * row + h * d;
            float* w = job->Weights + (long)unit * t * t;
            float* g = job->Context + (long)b * t * e + h * d;
            Transpose(x + 2 * e, row, values, t, d, tp);
            // The kept weights are already [T, Tp] when T is a whole number of vectors; else padded here.
            float* weights = w;
            if (tp != t)
            {
                weights = padded;
                for (int i = 0; i < t; i++)
                {
                    new ReadOnlySpan<float>(w + (long)i * t, t).CopyTo(new Span<float>(weights + (long)i * tp, t));
                    new Span<float>(weights + (long)i * tp + t, tp - t).Clear();
                }
            }
            // dweights = g vᵀ over the columns a row block can see: what the rest of the step reads of ds.
            // The next unit's head: d floats on in the same rows, or the next example's first.
            long ahead = h + 1 < heads ? d : (long)t * row - (heads - 1) * d, aheadG = h + 1 < heads ? d : (long)t * e - (heads - 1) * d;
            for (int i0 = 0; i0 < t; i0 += BlockRows)
            {
                int rows = Math.Min(BlockRows, t - i0);
                if (unit + 1 < end)
                {
                    for (int part = 0; part < 3; part++)
                    {
                        Prefetch(x + ahead + part * e, row, i0, rows, d);
                        Prefetch(dx + ahead + part * e, row, i0, rows, d);
                    }
                    Prefetch(g + aheadG, e, i0, rows, d);
                }
                MultiplyAdd(g + (long)i0 * e, e, 1, values, tp, ds + (long)i0 * tp, tp, rows, VisibleColumns(job, i0, rows, tp), d, overwrite: true);
            }
            SoftmaxBackward(job, weights, ds, dots, t, tp);
            // With Overwrite the three products below write dq, dk and dv (each element is one chain, stored once) instead of adding to them.
            bool overwrite = job->Overwrite;
            // dq += ds k
            for (int i0 = 0; i0 < t; i0 += BlockRows)
            {
                int rows = Math.Min(BlockRows, t - i0);
                MultiplyAdd(ds + (long)i0 * tp, tp, 1, x + e, row, dx + (long)i0 * row, row, rows, d, VisibleDepth(job, i0, rows, t), overwrite);
            }
            // dk += dsᵀ q and dv += weightsᵀ g, ds and the weights read down their columns: the rows of
            // key j sum over the queries i >= j when causal (within a column the row blocks can see, as the blocks here are theirs).
            for (int j0 = 0; j0 < t; j0 += BlockRows)
            {
                int rows = Math.Min(BlockRows, t - j0), p0 = job->Causal ? j0 : 0;
                MultiplyAdd(ds + (long)p0 * tp + j0, 1, tp, x + (long)p0 * row, row, dx + (long)j0 * row + e, row, rows, d, t - p0, overwrite);
                MultiplyAdd(weights + (long)p0 * tp + j0, 1, tp, g + (long)p0 * e, e, dx + (long)j0 * row + 2 * e, row, rows, d, t - p0, overwrite);
            }
        }
    }

    /// <summary>
    /// The softmax's backward in place: ds_ij = w_ij (dw_ij - Σ_j w_ij dw_ij) / √D (the scores were (q / √D) · k), 0 where w_ij is,
    /// over the columns each row's block can see (beyond them ds was never written, w is 0 and nothing reads ds). The dot
    /// products of every row come first, so that the rows' reductions overlap; each row's operations are a lone row's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxBackward(Job* job, float* weights, float* ds, float* dots, int t, int tp)
    {
        for (int i0 = 0; i0 < t; i0 += BlockRows)
        {
            int rows = Math.Min(BlockRows, t - i0), columns = VisibleColumns(job, i0, rows, tp);
            for (int i = i0; i < i0 + rows; i++)
            {
                float* wi = weights + (long)i * tp, di = ds + (long)i * tp;
                var sum = Vector256<float>.Zero;
                for (int j = 0; j < columns; j += 8) sum = Vector256.FusedMultiplyAdd(Vector256.Load(wi + j), Vector256.Load(di + j), sum);
                dots[i] = Vector256.Sum(sum);
            }
        }
        var s = Vector256.Create(job->Scale);
        for (int i0 = 0; i0 < t; i0 += BlockRows)
        {
            int rows = Math.Min(BlockRows, t - i0), columns = VisibleColumns(job, i0, rows, tp);
            for (int i = i0; i < i0 + rows; i++)
            {
                float* wi = weights + (long)i * tp, di = ds + (long)i * tp;
                var dot = Vector256.Create(dots[i]);
                for (int j = 0; j < columns; j += 8) (Vector256.Load(wi + j) * (Vector256.Load(di + j) - dot) * s).Store(di + j);
            }
        }
    }

    // Asks for rows [i0, i0 + rows) of a head's columns (D from head, rows stride apart) ahead of their use: the backward
    // asks for a few rows of the next unit's in each of its dweights row blocks. The heads' rows lie 3E floats apart, and
    // without this each unit's first pass over them (and the products' stores into the gradient) waits for every line in
    // turn; the forward touches fewer lines, and asking for its next unit's measured slower on a quiet machine.
    private static void Prefetch(float* head, int stride, int i0, int rows, int d)
    {
        if (!Sse.IsSupported) return;
        for (int i = i0; i < i0 + rows; i++)
        {
            float* first = head + (long)i * stride;
            for (nint line = (nint)first & ~63; line <= (nint)(first + d - 1); line += 64) Sse.Prefetch0((void*)line);
        }
    }

    // tile[k * ld + j] = source[j * stride + k] for j < rows, k < columns; tile[k * ld + j] = 0 for rows <= j < ld.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(float* source, int stride, float* tile, int rows, int columns, int ld)
    {
        int j0 = 0;
        if (Avx.IsSupported && columns % 8 == 0)
            for (; j0 + 8 <= rows; j0 += 8)
                for (int k0 = 0; k0 < columns; k0 += 8)
                    Transpose8x8(source + (long)j0 * stride + k0, stride, tile + (long)k0 * ld + j0, ld);
        for (int j = j0; j < rows; j++)
        {
            float* s = source + (long)j * stride;
            for (int k = 0; k < columns; k++) tile[(long)k * ld + j] = s[k];
        }
        for (int k = 0; k < columns; k++) new Span<float>(tile + (long)k * ld + rows, ld - rows).Clear();
    }

    // An 8 x 8 block: the 8 rows at source (stride apart) become the 8 columns at tile (ld apart).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(float* source, int stride, float* tile, int ld)
    {
        var r0 = Avx.LoadVector256(source); var r1 = Avx.LoadVector256(source + stride);
        var r2 = Avx.LoadVector256(source + 2 * stride); var r3 = Avx.LoadVector256(source + 3 * stride);
        var r4 = Avx.LoadVector256(source + 4 * stride); var r5 = Avx.LoadVector256(source + 5 * stride);
        var r6 = Avx.LoadVector256(source + 6 * stride); var r7 = Avx.LoadVector256(source + 7 * stride);
        // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves swapped into place.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(tile, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(tile + ld, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(tile + 2 * ld, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(tile + 3 * ld, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(tile + 4 * ld, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(tile + 5 * ld, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(tile + 6 * ld, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(tile + 7 * ld, Avx.Permute2x128(u3, u7, 0x31));
    }

    // Rows of c one MultiplyAdd block computes: 6 rows by 16 columns is 12 ymm accumulators, enough independent
    // FMA chains to keep both FMA pipes busy (4 rows, 8 chains, measured ~40 % of their peak).
    private const int BlockRows = 6;

    /// <summary>
    /// c[r * ldc + j] += Σ_{p &lt; depth} a[r * lda + p · aStep] · b[p * ldb + j] for r &lt; rows (at most <see cref="BlockRows"/>), j &lt; columns:
    /// each element one fused multiply-add chain in p order from 0, then added to c, whether its
    /// column falls in a 16-wide, an 8-wide or the scalar part. aStep lets a be read transposed
    /// (lda 1, aStep its row length), so dsᵀ q and wᵀ g need no transposed copy of ds or w.
    /// With <paramref name="overwrite"/> c is not read: c = the chain, the bits 0 + the chain would give
    /// (a chain from +0 is never -0), so the caller need not clear c first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd(float* a, int lda, int aStep, float* b, int ldb, float* c, int ldc, int rows, int columns, int depth, bool overwrite = false)
    {
        // Rows past the last read the last one again; their sums are never stored.
        Rows r;
        r.O1 = rows > 1 ? lda : 0; r.O2 = rows > 2 ? 2 * (nint)lda : r.O1; r.O3 = rows > 3 ? 3 * (nint)lda : r.O2;
        r.O4 = rows > 4 ? 4 * (nint)lda : r.O3; r.O5 = rows > 5 ? 5 * (nint)lda : r.O4;
        r.Count = rows;
        int j = 0;
        for (; j + 16 <= columns; j += 16) Block16(a, &r, aStep, b + j, ldb, depth, c + j, ldc, overwrite);
        for (; j + 8 <= columns; j += 8) Block8(a, &r, aStep, b + j, ldb, depth, c + j, ldc, overwrite);
        for (; j < columns; j++)
            for (int i = 0; i < rows; i++)
            {
                float* ar = a + (long)i * lda;
                float sum = 0f;
                for (int p = 0; p < depth; p++) sum = MathF.FusedMultiplyAdd(ar[(long)p * aStep], b[(long)p * ldb + j], sum);
                c[(long)i * ldc + j] = overwrite ? sum : c[(long)i * ldc + j] + sum;
            }
    }

    // Where a block's rows 1 to 5 start relative to row 0 (rows past the last repeat it), and how many rows it stores.
    private struct Rows
    {
        public nint O1, O2, O3, O4, O5;
        public int Count;
    }

    // One block of MultiplyAdd, 16 columns wide, on its own so that its loop has every register to itself.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Block16(float* a, Rows* rows, nint aStep, float* b, nint ldb, int depth, float* c, nint ldc, bool overwrite)
    {
        nint o1 = rows->O1, o2 = rows->O2, o3 = rows->O3, o4 = rows->O4, o5 = rows->O5;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (float* end = b + depth * ldb; b < end; b += ldb, a += aStep)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[o1]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[o2]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[o3]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[o4]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[o5]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
        }
        int count = rows->Count;
        Finish(c, c00, c01, overwrite);
        if (count > 1) Finish(c += ldc, c10, c11, overwrite);
        if (count > 2) Finish(c += ldc, c20, c21, overwrite);
        if (count > 3) Finish(c += ldc, c30, c31, overwrite);
        if (count > 4) Finish(c += ldc, c40, c41, overwrite);
        if (count > 5) Finish(c + ldc, c50, c51, overwrite);
    }

    // The same, 8 columns wide.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Block8(float* a, Rows* rows, nint aStep, float* b, nint ldb, int depth, float* c, nint ldc, bool overwrite)
    {
        nint o1 = rows->O1, o2 = rows->O2, o3 = rows->O3, o4 = rows->O4, o5 = rows->O5;
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (float* end = b + depth * ldb; b < end; b += ldb, a += aStep)
        {
            var b0 = Vector256.Load(b);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[0]), b0, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o1]), b0, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o2]), b0, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o3]), b0, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o4]), b0, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o5]), b0, c5);
        }
        int count = rows->Count;
        Finish(c, c0, overwrite);
        if (count > 1) Finish(c += ldc, c1, overwrite);
        if (count > 2) Finish(c += ldc, c2, overwrite);
        if (count > 3) Finish(c += ldc, c3, overwrite);
        if (count > 4) Finish(c += ldc, c4, overwrite);
        if (count > 5) Finish(c + ldc, c5, overwrite);
    }

    // Sixteen sums into c: stored, or added to what c holds.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(float* c, Vector256<float> low, Vector256<float> high, bool overwrite)
    {
        Finish(c, low, overwrite);
        Finish(c + 8, high, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(float* c, Vector256<float> sums, bool overwrite) => (overwrite ? sums : Vector256.Load(c) + sums).Store(c);
}
