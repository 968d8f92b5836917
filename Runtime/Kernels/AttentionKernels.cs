using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Scaled dot-product self-attention of every head in one pass, forward and backward, read straight
/// from the input projection's rows. The projection holds per example [T, 3E]: queries, keys and
/// values side by side, head h in columns h·D .. h·D + D of each (E = heads · D). The context it
/// writes is [T, E] with the heads side by side again, so no permutation into heads and back is
/// ever stored. One unit of work is one example's head: its keys and values are copied into
/// transposed [D, T] tiles, and every score row, softmax and weighted sum runs on those tiles in
/// registers-sized pieces instead of dense-kernel calls of 64 × 16. A unit is computed the same
/// way whichever thread takes it, and units share no output, so results never depend on the
/// thread count.
/// </summary>
public static unsafe class AttentionKernels
{
    // Below this many multiply-adds per call the workers cost more than they save.
    private const long ParallelThreshold = 1L << 17;
    // Tiles up to this many floats live on the stack; larger heads rent an array.
    private const int StackTileFloats = 1 << 13;

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
    /// projection and the weights Forward kept.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> projected, ReadOnlySpan<float> weights, ReadOnlySpan<float> contextGradient,
        Span<float> projectedGradient, int batch, int length, int heads, int headSize, bool causal)
    {
        Check(projected.Length, weights.Length, contextGradient.Length, batch, length, heads, headSize);
        if (projectedGradient.Length < projected.Length)
            throw new ArgumentException($"the projection's gradient has {projectedGradient.Length} values but the projection {projected.Length}", nameof(projectedGradient));
        fixed (float* p = projected)
        fixed (float* w = weights)
        fixed (float* g = contextGradient)
        fixed (float* dp = projectedGradient)
        {
            var job = new Job { Projected = p, Weights = w, Context = g, ProjectedGradient = dp, Length = length, Heads = heads, HeadSize = headSize, Causal = causal, Scale = Scale(headSize) };
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
        public bool Causal;
        public float Scale;
    }

    private static void Run(delegate*<Job*, int, int, void> units, Job* job, int batch)
    {
        int count = batch * job->Heads;
        long work = (long)count * job->Length * job->Length * job->HeadSize;
        int parts = work < ParallelThreshold ? 1 : Math.Min(KernelThreads.Parts, count);
        if (parts <= 1 || !KernelThreads.TryRun(units, job, count, 1, parts)) units(job, 0, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardUnits(Job* job, int first, int end)
    {
        int t = job->Length, d = job->HeadSize, heads = job->Heads, e = heads * d, row = 3 * e;
        int tile = d * t;
        float[]? rented = tile + d > StackTileFloats ? new float[tile + d] : null;
        float* stack = stackalloc float[rented is null ? tile + d : 1];
        fixed (float* heap = rented)
        {
            float* keys = rented is null ? stack : heap, query = keys + tile;
            for (int unit = first; unit < end; unit++)
            {
                int b = unit / heads, h = unit % heads;
                float* x = job->Projected + (long)b * t * row;
                float* w = job->Weights + (long)unit * t * t;
                float* o = job->Context + (long)b * t * e + h * d;
                Transpose(x + e + h * d, row, keys, t, d);
                for (int i = 0; i < t; i++)
                {
                    int visible = job->Causal ? i + 1 : t;
                    float* q = x + (long)i * row + h * d;
                    for (int k = 0; k < d; k++) query[k] = q[k] * job->Scale;
                    // The score row: Σ_k (q_k / √D) · keysᵀ[k, :], over the visible positions.
                    float* scores = w + (long)i * t;
                    new Span<float>(scores, t).Clear();
                    for (int k = 0; k < d; k++) Axpy(query[k], keys + (long)k * t, scores, visible);
                    var line = new Span<float>(scores, visible);
                    float max = TensorPrimitives.Max<float>(line);
                    TensorPrimitives.Subtract(line, max, line);
                    TensorPrimitives.Exp(line, line);
                    TensorPrimitives.Divide(line, TensorPrimitives.Sum<float>(line), line);
                    // context_i = Σ_j w_ij v_j
                    float* c = o + (long)i * e;
                    new Span<float>(c, d).Clear();
                    for (int j = 0; j < visible; j++) Axpy(scores[j], x + (long)j * row + 2 * e + h * d, c, d);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardUnits(Job* job, int first, int end)
    {
        int t = job->Length, d = job->HeadSize, heads = job->Heads, e = heads * d, row = 3 * e;
        int tile = d * t, need = tile + t + d;
        float[]? rented = need > StackTileFloats ? new float[need] : null;
        float* stack = stackalloc float[rented is null ? need : 1];
        fixed (float* heap = rented)
        {
            float* values = rented is null ? stack : heap, weightGradient = values + tile, queryGradient = weightGradient + t;
            float scale = job->Scale;
            for (int unit = first; unit < end; unit++)
            {
                int b = unit / heads, h = unit % heads;
                float* x = job->Projected + (long)b * t * row;
                float* dx = job->ProjectedGradient + (long)b * t * row;
                float* w = job->Weights + (long)unit * t * t;
                float* g = job->Context + (long)b * t * e + h * d;
                Transpose(x + 2 * e + h * d, row, values, t, d);
                for (int i = 0; i < t; i++)
                {
                    int visible = job->Causal ? i + 1 : t;
                    float* gi = g + (long)i * e;
                    float* wi = w + (long)i * t;
                    // dw_ij = g_i · v_j
                    new Span<float>(weightGradient, visible).Clear();
                    for (int k = 0; k < d; k++) Axpy(gi[k], values + (long)k * t, weightGradient, visible);
                    // softmax: ds_ij = w_ij (dw_ij - Σ_j w_ij dw_ij); the scores were (q / √D) · k.
                    float dot = TensorPrimitives.Dot(new ReadOnlySpan<float>(wi, visible), new ReadOnlySpan<float>(weightGradient, visible));
                    new Span<float>(queryGradient, d).Clear();
                    float* qi = x + (long)i * row + h * d;
                    for (int j = 0; j < visible; j++)
                    {
                        float wij = wi[j];
                        float ds = wij * (weightGradient[j] - dot) * scale;
                        float* xj = x + (long)j * row + h * d, dxj = dx + (long)j * row + h * d;
                        Axpy(ds, xj + e, queryGradient, d);     // dq_i += ds k_j
                        Axpy(ds, qi, dxj + e, d);               // dk_j += ds q_i
                        Axpy(wij, gi, dxj + 2 * e, d);          // dv_j += w_ij g_i
                    }
                    float* dqi = dx + (long)i * row + h * d;
                    for (int k = 0; k < d; k++) dqi[k] += queryGradient[k];
                }
            }
        }
    }

    // tile[k, j] = source[j * stride + k] for j < rows, k < columns.
    private static void Transpose(float* source, int stride, float* tile, int rows, int columns)
    {
        for (int j = 0; j < rows; j++)
        {
            float* s = source + (long)j * stride;
            for (int k = 0; k < columns; k++) tile[(long)k * rows + j] = s[k];
        }
    }

    // y[0, n) += a · x[0, n), fused multiply-adds, eight lanes at a time where the machine has them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(float a, float* x, float* y, int n)
    {
        int p = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; p + 8 <= n; p += 8) Vector256.Store(Vector256.FusedMultiplyAdd(va, Vector256.Load(x + p), Vector256.Load(y + p)), y + p);
        }
        for (; p < n; p++) y[p] = MathF.FusedMultiplyAdd(a, x[p], y[p]);
    }
}
