using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// A dense layer on one example (a matrix-vector product), with its bias and activation fused in:
/// the batch-1 inference path of generated code. The weight is [n, k] row-major (PyTorch's [out, in]).
/// </summary>
/// <remarks>
/// At batch 1 a layer reads every weight once, so its speed is how fast the weights stream in from
/// L2. With AVX-512 (and likewise with AVX2, 256-bit loads aligned to 32 bytes) eight rows are read side by side (eight FMA chains hide the FMA latency) with
/// loads aligned to 64 bytes: an unaligned 64-byte load touches two cache lines, which costs almost
/// twice the bandwidth. The row's ragged head and tail are masked, and the eight sums are reduced
/// together (a transposing add tree) rather than one Vector512.Sum each. The result may differ from
/// <see cref="DenseKernels.MultiplyTransposed"/> in the last bits: the additions run in another order.
/// </remarks>
public static unsafe class VectorMatrixKernels
{
    /// <summary>y[j] = bias[j] + sum_p w[j, p] x[p] for j &lt; n (bias empty: no bias).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddBias(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, int n, int k)
    {
        Check(x, weight, bias, y, n, k, nameof(y));
        fixed (float* px = x, pw = weight, pb = bias, py = y)
            Product(px, pw, bias.IsEmpty ? null : pb, py, null, n, k);
    }

    /// <summary>
    /// preActivation[j] = bias[j] + sum_p w[j, p] x[p] and activation[j] = relu(preActivation[j])
    /// (NaN passes through, as torch.relu), in one pass; both are kept for the backward pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddBiasRelu(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> preActivation, Span<float> activation, int n, int k)
    {
        Check(x, weight, bias, preActivation, n, k, nameof(preActivation));
        if (activation.Length < n) throw new ArgumentException($"'{nameof(activation)}' has {activation.Length} values but the layer writes {n}", nameof(activation));
        fixed (float* px = x, pw = weight, pb = bias, py = preActivation, pa = activation)
            Product(px, pw, bias.IsEmpty ? null : pb, py, pa, n, k);
    }

    private static void Check(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, int n, int k, string output)
    {
        if (n < 0 || k < 0) throw new ArgumentOutOfRangeException(n < 0 ? nameof(n) : nameof(k), "sizes must be >= 0");
        if (x.Length < k) throw new ArgumentException($"'{nameof(x)}' has {x.Length} values but the layer reads {k}", nameof(x));
        if (weight.Length < (long)n * k) throw new ArgumentException($"'{nameof(weight)}' has {weight.Length} values but the layer reads {(long)n * k}", nameof(weight));
        if (!bias.IsEmpty && bias.Length < n) throw new ArgumentException($"'{nameof(bias)}' has {bias.Length} values but the layer reads {n}", nameof(bias));
        if (y.Length < n) throw new ArgumentException($"'{output}' has {y.Length} values but the layer writes {n}", output);
    }

    // Layers with at least this many weights are split across the kernel threads by output rows: each
    // thread streams its half of the weights from its own L2, which halves a batch-1 layer's time.
    private const long ParallelThreshold = 1L << 15;

    private struct RowsJob
    {
        public float* X, W, Bias, Y, Relu;
        public int N, K;
        public VectorPath Path;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Product(float* x, float* w, float* bias, float* y, float* relu, int n, int k)
    {
        var path = KernelPath.Current;
        int parts = Math.Min(KernelThreads.Parts, n / 16);
        if (parts > 1 && (long)n * k >= ParallelThreshold)
        {
            var job = new RowsJob { X = x, W = w, Bias = bias, Y = y, Relu = relu, N = n, K = k, Path = path };
            // One chunk per thread, so that each thread reads the same rows (from its own cache) on every call.
            if (KernelThreads.TryRun(&Rows, &job, n, 8, parts, chunksPerPart: 1)) return;
        }
        Rows(path, x, w, bias, y, relu, 0, n, k);
    }

    private static void Rows(RowsJob* job, int j0, int j1) => Rows(job->Path, job->X, job->W, job->Bias, job->Y, job->Relu, j0, j1, job->K);

    // Rows [j0, j1) of the product; j0 is a multiple of 8, so every row is summed as it is on one thread.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(VectorPath path, float* x, float* w, float* bias, float* y, float* relu, int j0, int j1, int k)
    {
        int j = j0, n = j1;
        if (path == VectorPath.Avx2 && k >= 8)
        {
            var lanes = Vector256<int>.Indices;
            for (; j + 8 <= n; j += 8)
            {
                var sums = Dot8(x, w + (long)j * k, k, lanes);
                if (bias != null) sums += Vector256.Load(bias + j);
                sums.Store(y + j);
                if (relu != null) Relu(sums).Store(relu + j);
            }
            for (; j < n; j++) Finish(Dot1(x, w + (long)j * k, k, lanes), j, bias, y, relu);
            return;
        }
        if (path == VectorPath.Avx512 && Avx.IsSupported && k >= 16)
        {
            var lanes = Vector512<int>.Indices;
            for (; j + 8 <= n; j += 8)
            {
                var sums = Dot8(x, w + (long)j * k, k, lanes);
                if (bias != null) sums += Vector256.Load(bias + j);
                sums.Store(y + j);
                if (relu != null) Relu(sums).Store(relu + j);
            }
            for (; j < n; j++) Finish(Dot1(x, w + (long)j * k, k, lanes), j, bias, y, relu);
            return;
        }
        var xs = new ReadOnlySpan<float>(x, k);
        for (; j < n; j++) Finish(TensorPrimitives.Dot(xs, new ReadOnlySpan<float>(w + (long)j * k, k)), j, bias, y, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(float sum, int j, float* bias, float* y, float* relu)
    {
        if (bias != null) sum += bias[j];
        y[j] = sum;
        if (relu != null) relu[j] = sum < 0f ? 0f : sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Relu(Vector256<float> v) =>
        Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<float>.Zero), Vector256<float>.Zero, v);

    // Floats from a row's start to the next 64-byte boundary (0 when it is aligned).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Head(float* row) => (int)((64 - ((nuint)row & 63)) & 63) / sizeof(float);

    // Eight rows of w (k >= 16) against x: the loads of the first row are 64-byte aligned, and so are
    // every row's when k is a multiple of 16 (784, 128, 64: the usual widths).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> Dot8(float* x, float* w, int k, Vector512<int> lanes)
    {
        float* w0 = w, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k, w4 = w3 + k, w5 = w4 + k, w6 = w5 + k, w7 = w6 + k;
        int p = Head(w0);
        // The head [0, p): full loads from the row starts, with the lanes past p masked out.
        var mask = Vector512.LessThan(lanes, Vector512.Create(p)).AsSingle();
        var xv = Vector512.Load(x);
        var s0 = xv * Vector512.Load(w0) & mask;
        var s1 = xv * Vector512.Load(w1) & mask;
        var s2 = xv * Vector512.Load(w2) & mask;
        var s3 = xv * Vector512.Load(w3) & mask;
        var s4 = xv * Vector512.Load(w4) & mask;
        var s5 = xv * Vector512.Load(w5) & mask;
        var s6 = xv * Vector512.Load(w6) & mask;
        var s7 = xv * Vector512.Load(w7) & mask;
        for (; p + 16 <= k; p += 16)
        {
            xv = Vector512.Load(x + p);
            s0 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(w0 + p), s0);
            s1 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(w1 + p), s1);
            s2 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(w2 + p), s2);
            s3 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(w3 + p), s3);
            s4 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(w4 + p), s4);
            s5 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(w5 + p), s5);
            s6 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(w6 + p), s6);
            s7 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(w7 + p), s7);
        }
        if (p < k)
        {
            // The tail [p, k): the last 16 floats of each row, with the lanes before p masked out.
            int t = k - 16;
            mask = Vector512.GreaterThanOrEqual(lanes, Vector512.Create(p - t)).AsSingle();
            xv = Vector512.Load(x + t);
            s0 += xv * Vector512.Load(w0 + t) & mask;
            s1 += xv * Vector512.Load(w1 + t) & mask;
            s2 += xv * Vector512.Load(w2 + t) & mask;
            s3 += xv * Vector512.Load(w3 + t) & mask;
            s4 += xv * Vector512.Load(w4 + t) & mask;
            s5 += xv * Vector512.Load(w5 + t) & mask;
            s6 += xv * Vector512.Load(w6 + t) & mask;
            s7 += xv * Vector512.Load(w7 + t) & mask;
        }
        return Sum8(s0, s1, s2, s3, s4, s5, s6, s7);
    }

    // One row of w (k >= 16) against x, as Dot8 does it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot1(float* x, float* w, int k, Vector512<int> lanes)
    {
        int p = Head(w);
        var s = Vector512.Load(x) * Vector512.Load(w) & Vector512.LessThan(lanes, Vector512.Create(p)).AsSingle();
        for (; p + 16 <= k; p += 16) s = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(w + p), s);
        if (p < k)
        {
            int t = k - 16;
            s += Vector512.Load(x + t) * Vector512.Load(w + t) & Vector512.GreaterThanOrEqual(lanes, Vector512.Create(p - t)).AsSingle();
        }
        return Vector512.Sum(s);
    }

    // Floats from a row's start to the next 32-byte boundary (0 when it is aligned).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Head32(float* row) => (int)((32 - ((nuint)row & 31)) & 31) / sizeof(float);

    // The AVX2 Dot8: eight rows of w (k >= 8) against x in eight ymm chains, loads 32-byte aligned as
    // Dot8's are 64-byte aligned (a 32-byte load that crosses a cache line costs two).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<float> Dot8(float* x, float* w, int k, Vector256<int> lanes)
    {
        float* w0 = w, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k, w4 = w3 + k, w5 = w4 + k, w6 = w5 + k, w7 = w6 + k;
        int p = Head32(w0);
        var mask = Vector256.LessThan(lanes, Vector256.Create(p)).AsSingle();
        var xv = Vector256.Load(x);
        var s0 = xv * Vector256.Load(w0) & mask;
        var s1 = xv * Vector256.Load(w1) & mask;
        var s2 = xv * Vector256.Load(w2) & mask;
        var s3 = xv * Vector256.Load(w3) & mask;
        var s4 = xv * Vector256.Load(w4) & mask;
        var s5 = xv * Vector256.Load(w5) & mask;
        var s6 = xv * Vector256.Load(w6) & mask;
        var s7 = xv * Vector256.Load(w7) & mask;
        for (; p + 8 <= k; p += 8)
        {
            xv = Vector256.Load(x + p);
            s0 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(w0 + p), s0);
            s1 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(w1 + p), s1);
            s2 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(w2 + p), s2);
            s3 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(w3 + p), s3);
            s4 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(w4 + p), s4);
            s5 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(w5 + p), s5);
            s6 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(w6 + p), s6);
            s7 = Vector256.FusedMultiplyAdd(xv, Vector256.Load(w7 + p), s7);
        }
        if (p < k)
        {
            int t = k - 8;
            mask = Vector256.GreaterThanOrEqual(lanes, Vector256.Create(p - t)).AsSingle();
            xv = Vector256.Load(x + t);
            s0 += xv * Vector256.Load(w0 + t) & mask;
            s1 += xv * Vector256.Load(w1 + t) & mask;
            s2 += xv * Vector256.Load(w2 + t) & mask;
            s3 += xv * Vector256.Load(w3 + t) & mask;
            s4 += xv * Vector256.Load(w4 + t) & mask;
            s5 += xv * Vector256.Load(w5 + t) & mask;
            s6 += xv * Vector256.Load(w6 + t) & mask;
            s7 += xv * Vector256.Load(w7 + t) & mask;
        }
        return Sum8(s0, s1, s2, s3, s4, s5, s6, s7);
    }

    // One row of w (k >= 8) against x, as the AVX2 Dot8 does it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot1(float* x, float* w, int k, Vector256<int> lanes)
    {
        int p = Head32(w);
        var s = Vector256.Load(x) * Vector256.Load(w) & Vector256.LessThan(lanes, Vector256.Create(p)).AsSingle();
        for (; p + 8 <= k; p += 8) s = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(w + p), s);
        if (p < k)
        {
            int t = k - 8;
            s += Vector256.Load(x + t) * Vector256.Load(w + t) & Vector256.GreaterThanOrEqual(lanes, Vector256.Create(p - t)).AsSingle();
        }
        return Vector256.Sum(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sum8(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3,
        Vector256<float> s4, Vector256<float> s5, Vector256<float> s6, Vector256<float> s7)
    {
        var q0 = Avx.HorizontalAdd(Avx.HorizontalAdd(s0, s1), Avx.HorizontalAdd(s2, s3));
        var q1 = Avx.HorizontalAdd(Avx.HorizontalAdd(s4, s5), Avx.HorizontalAdd(s6, s7));
        return Avx.Permute2x128(q0, q1, 0x20) + Avx.Permute2x128(q0, q1, 0x31);
    }

    // The eight horizontal sums as one vector: halve each to 256 bits, then a horizontal-add tree.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sum8(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3,
        Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7)
    {
        var h01 = Avx.HorizontalAdd(s0.GetLower() + s0.GetUpper(), s1.GetLower() + s1.GetUpper());
        var h23 = Avx.HorizontalAdd(s2.GetLower() + s2.GetUpper(), s3.GetLower() + s3.GetUpper());
        var h45 = Avx.HorizontalAdd(s4.GetLower() + s4.GetUpper(), s5.GetLower() + s5.GetUpper());
        var h67 = Avx.HorizontalAdd(s6.GetLower() + s6.GetUpper(), s7.GetLower() + s7.GetUpper());
        // q0 lanes: [r0 r1 r2 r3 | r0 r1 r2 r3] partial sums of the low and high 128-bit halves.
        var q0 = Avx.HorizontalAdd(h01, h23);
        var q1 = Avx.HorizontalAdd(h45, h67);
        return Avx.Permute2x128(q0, q1, 0x20) + Avx.Permute2x128(q0, q1, 0x31);
    }
}
