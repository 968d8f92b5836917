using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// The AVX2+FMA kernels of products below 16 rows of output, which read the operands where they lie
/// (the AVX-512 ones are in DenseKernels.cs). With 16 ymm registers the blocks are smaller: 2 x 4
/// dot products (8 chains) forward, 6 rows x 16 columns (12 accumulators) backward.
/// </summary>
public static unsafe partial class DenseKernels
{
    // c[i, j] += a[i, :] . w[j, :] for i < m, j0 <= j < j1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmallTransposedAvx2(float* a, float* w, float* c, int m, int n, int k, int j0, int j1)
    {
        // Blocks of weight rows small enough to stay in L2 (256 KB) while every row of a streams past them.
        int rowsPerBlock = Math.Max(4, 256 * 1024 / 4 / Math.Max(k, 1) / 4 * 4);
        for (int jb = j0; jb < j1; jb += rowsPerBlock)
        {
            int jEnd = Math.Min(j1, jb + rowsPerBlock);
            int i = 0;
            for (; i + 2 <= m; i += 2)
            {
                int j = jb;
                for (; j + 4 <= jEnd; j += 4) Dot2x4(a + (long)i * k, w + (long)j * k, c + (long)i * n + j, k, n);
                for (; j < jEnd; j++)
                    for (int r = 0; r < 2; r++) c[(long)(i + r) * n + j] += Dot256(a + (long)(i + r) * k, w + (long)j * k, k);
            }
            for (; i < m; i++)
            {
                int j = jb;
                for (; j + 4 <= jEnd; j += 4) Dot1x4Avx2(a + (long)i * k, w + (long)j * k, c + (long)i * n + j, k);
                for (; j < jEnd; j++) c[(long)i * n + j] += Dot256(a + (long)i * k, w + (long)j * k, k);
            }
        }
    }

    // Two rows of a against four rows of w: 8 Vector256 accumulators over k, reduced once at the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2x4(float* a, float* w, float* c, int k, int ldc)
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        float* a1 = a + k, w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var b0 = Vector256.Load(w + p);
            var b1 = Vector256.Load(w1 + p);
            var b2 = Vector256.Load(w2 + p);
            var b3 = Vector256.Load(w3 + p);
            var x = Vector256.Load(a + p);
            s00 = Vector256.FusedMultiplyAdd(x, b0, s00); s01 = Vector256.FusedMultiplyAdd(x, b1, s01);
            s02 = Vector256.FusedMultiplyAdd(x, b2, s02); s03 = Vector256.FusedMultiplyAdd(x, b3, s03);
            x = Vector256.Load(a1 + p);
            s10 = Vector256.FusedMultiplyAdd(x, b0, s10); s11 = Vector256.FusedMultiplyAdd(x, b1, s11);
            s12 = Vector256.FusedMultiplyAdd(x, b2, s12); s13 = Vector256.FusedMultiplyAdd(x, b3, s13);
        }
        float* c1 = c + ldc;
        c[0] += Vector256.Sum(s00) + TailDot(a, w, p, k); c[1] += Vector256.Sum(s01) + TailDot(a, w1, p, k);
        c[2] += Vector256.Sum(s02) + TailDot(a, w2, p, k); c[3] += Vector256.Sum(s03) + TailDot(a, w3, p, k);
        c1[0] += Vector256.Sum(s10) + TailDot(a1, w, p, k); c1[1] += Vector256.Sum(s11) + TailDot(a1, w1, p, k);
        c1[2] += Vector256.Sum(s12) + TailDot(a1, w2, p, k); c1[3] += Vector256.Sum(s13) + TailDot(a1, w3, p, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x4Avx2(float* a, float* w, float* c, int k)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var x = Vector256.Load(a + p);
            s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w + p), s0);
            s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w1 + p), s1);
            s2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w2 + p), s2);
            s3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(w3 + p), s3);
        }
        c[0] += Vector256.Sum(s0) + TailDot(a, w, p, k);
        c[1] += Vector256.Sum(s1) + TailDot(a, w1, p, k);
        c[2] += Vector256.Sum(s2) + TailDot(a, w2, p, k);
        c[3] += Vector256.Sum(s3) + TailDot(a, w3, p, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot256(float* a, float* w, int k)
    {
        Vector256<float> s = default;
        int p = 0;
        for (; p + 8 <= k; p += 8) s = Vector256.FusedMultiplyAdd(Vector256.Load(a + p), Vector256.Load(w + p), s);
        return Vector256.Sum(s) + TailDot(a, w, p, k);
    }

    // c[i, j] += sum_p A(i, p) b[p, j] for i < m, j0 <= j < j1, in depth blocks whose b rows stay in L1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmallRowMajorAvx2(float* a, int rs, int cs, float* b, float* c, int m, int n, int k, int j0, int j1)
    {
        for (int pb = 0; pb < k; pb += DepthBlock)
        {
            int depth = Math.Min(DepthBlock, k - pb);
            float* ab = a + (long)pb * cs, bb = b + (long)pb * n;
            int j = j0;
            for (; j + 16 <= j1; j += 16)
            {
                int i = 0;
                for (; i + 6 <= m; i += 6) Axpy6x16(ab + (long)i * rs, rs, cs, bb + j, n, c + (long)i * n + j, depth);
                for (; i < m; i++) Axpy1x8(ab + (long)i * rs, cs, bb + j, n, c + (long)i * n + j, depth, 2);
            }
            for (; j + 8 <= j1; j += 8)
                for (int i = 0; i < m; i++) Axpy1x8(ab + (long)i * rs, cs, bb + j, n, c + (long)i * n + j, depth, 1);
            for (; j < j1; j++)
                for (int i = 0; i < m; i++)
                {
                    float s = 0f;
                    for (int p = 0; p < depth; p++) s = MathF.FusedMultiplyAdd(ab[(long)i * rs + (long)p * cs], bb[(long)p * n + j], s);
                    c[(long)i * n + j] += s;
                }
        }
    }

    // Six rows of c, 16 columns: 12 Vector256 accumulators; each step broadcasts one a per row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy6x16(float* a, int rs, int cs, float* b, int ldb, float* c, int depth)
    {
        Vector256<float> r00 = default, r01 = default, r10 = default, r11 = default, r20 = default, r21 = default;
        Vector256<float> r30 = default, r31 = default, r40 = default, r41 = default, r50 = default, r51 = default;
        float* a1 = a + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs;
        long offset = 0;
        for (int p = 0; p < depth; p++, offset += cs, b += ldb)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
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
        AddTo(c, r00, r01); AddTo(c + ldb, r10, r11); AddTo(c + 2L * ldb, r20, r21);
        AddTo(c + 3L * ldb, r30, r31); AddTo(c + 4L * ldb, r40, r41); AddTo(c + 5L * ldb, r50, r51);
    }

    // One row of c, 8 or 16 columns (vectors = 1 or 2).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy1x8(float* a, int cs, float* b, int ldb, float* c, int depth, int vectors)
    {
        Vector256<float> r0 = default, r1 = default;
        long offset = 0;
        if (vectors == 2)
        {
            for (int p = 0; p < depth; p++, offset += cs, b += ldb)
            {
                var x = Vector256.Create(a[offset]);
                r0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b), r0);
                r1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b + 8), r1);
            }
            AddTo(c, r0, r1);
            return;
        }
        for (int p = 0; p < depth; p++, offset += cs, b += ldb)
            r0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[offset]), Vector256.Load(b), r0);
        (Vector256.Load(c) + r0).Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(float* c, Vector256<float> low, Vector256<float> high)
    {
        (Vector256.Load(c) + low).Store(c);
        (Vector256.Load(c + 8) + high).Store(c + 8);
    }
}
