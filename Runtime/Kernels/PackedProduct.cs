using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// The large-product path of <see cref="DenseKernels"/> (AVX-512 and AVX2+FMA), built the way BLIS and
/// OpenBLAS build theirs: c += A B with both operands first copied ("packed") into panels laid out in
/// the order the micro-kernel reads them, so its loads are sequential and cache-resident. With
/// AVX-512 the micro-kernel keeps a 12 x 32 block of c in 24 of the 32 zmm registers while each step
/// broadcasts 12 values of A and loads 32 of B; with AVX2 (16 ymm registers) it keeps a 6 x 16 block
/// in 12 registers, broadcasting 6 values of A and loading 16 of B per step: 12 independent FMA
/// chains, enough to cover the FMA latency of two FMA pipes.
/// </summary>
/// <remarks>
/// Blocking: a packed B panel (256 deep: 32 KB with AVX-512, 16 KB with AVX2) stays in L1 while the
/// packed A panels (120 rows x 256, 120 KB) stream past it from L2; B is packed 1024 columns at a time.
/// Every c element is the sum, per depth block of <see cref="DepthBlock"/>, of one fused
/// multiply-add chain in depth order, added to c. Which thread computes it, where its column sits in
/// a panel and which of the two vector paths runs do not change that chain, so results are
/// bit-identical for any column split, and between the AVX-512 and AVX2 paths.
/// </remarks>
internal static unsafe class PackedProduct
{
    // The AVX-512 panels: 12 rows of A, 32 columns of B.
    private const int WideRows = 12;
    private const int WideColumns = 32;
    // The AVX2 panels: 6 rows of A, 16 columns of B.
    private const int NarrowRows = 6;
    private const int NarrowColumns = 16;
    public const int DepthBlock = 256;
    // Rows of A packed at a time (a multiple of both panel heights): 120 x 256 floats (120 KB) stay in L2 beside the B panels.
    private const int RowBlock = 120;
    // Columns of B packed at a time: 256 x 1024 floats (1 MB), so A is packed once per depth block.
    private const int ColumnBlock = 1024;

    // Packing buffers, one pair per thread (the caller and each kernel worker), grown on first use.
    [ThreadStatic] private static float* t_packedA;
    [ThreadStatic] private static float* t_packedB;

    /// <summary>How B is stored: as b[p, j] = b[p * n + j] (row-major k x n), or as the transpose of w[j, p] = w[j * k + p].</summary>
    public enum BLayout { RowMajor, Transposed }

    /// <summary>Rows of A in one panel on this path.</summary>
    public static int PanelRows(VectorPath path) => path == VectorPath.Avx512 ? WideRows : NarrowRows;

    /// <summary>Columns of B in one panel on this path: the granule of a column split.</summary>
    public static int PanelColumns(VectorPath path) => path == VectorPath.Avx512 ? WideColumns : NarrowColumns;

    // One buffer that the threads of one product share, grown on first use; a product that finds it
    // taken by another (a second thread running products) packs its operand its own way instead.
    private sealed class SharedBuffer
    {
        private float* _floats;
        private long _capacity;

        /// <summary>At least <paramref name="needed"/> floats, or null when another product holds them; a non-null result must be given back with <see cref="Release"/>.</summary>
        public float* TryAcquire(long needed)
        {
            if (!System.Threading.Monitor.TryEnter(this)) return null;
            if (needed > _capacity)
            {
                NativeMemory.AlignedFree(_floats);
                _floats = (float*)NativeMemory.AlignedAlloc((nuint)(needed * sizeof(float)), 64);
                _capacity = needed;
            }
            return _floats;
        }

        public void Release() => System.Threading.Monitor.Exit(this);
    }

    // All of A packed once for a product that threads share by columns (see AcquireWholeA).
    private static readonly SharedBuffer s_wholeA = new SharedBuffer();
    // All of B packed once for a product that threads share by rows (see AcquireWholeB).
    private static readonly SharedBuffer s_wholeB = new SharedBuffer();

    /// <summary>
    /// The buffer for all of an m x k A packed once, depth block after depth block, for the threads
    /// that share one product by columns, so that column chunks do not each pack it again (the
    /// threads fill it with <see cref="PackWholeARows"/>). Returns null when another product holds
    /// it; a non-null result must be given back with <see cref="ReleaseWholeA"/>.
    /// </summary>
    public static float* AcquireWholeA(VectorPath path, int m, int k)
    {
        int height = PanelRows(path);
        return s_wholeA.TryAcquire((long)((m + height - 1) / height * height) * k);
    }

    /// <summary>
    /// Packs rows [r0, r1) of A into <paramref name="whole"/> (from <see cref="AcquireWholeA"/>);
    /// r0 is a multiple of <see cref="PanelRows"/>, so threads can pack disjoint row ranges at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackWholeARows(VectorPath path, float* a, int rs, int cs, int m, int k, float* whole, int r0, int r1)
    {
        int height = PanelRows(path);
        long rows = (m + height - 1) / height * height;
        for (int pc = 0; pc < k; pc += DepthBlock)
        {
            int depth = Math.Min(DepthBlock, k - pc);
            PackA(a + (long)r0 * rs + (long)pc * cs, rs, cs, whole + pc * rows + (long)r0 * depth, depth, r1 - r0, height);
        }
    }

    public static void ReleaseWholeA() => s_wholeA.Release();

    /// <summary>
    /// The buffer for all of a k x n B packed once (<see cref="PackWholeB"/>) for the threads that
    /// share one product by rows, so that row chunks do not each pack all of it again. Returns null
    /// when another product holds it; a non-null result must be given back with <see cref="ReleaseWholeB"/>.
    /// </summary>
    public static float* AcquireWholeB(VectorPath path, int n, int k) => s_wholeB.TryAcquire(WholeBSize(path, n, k));

    public static void ReleaseWholeB() => s_wholeB.Release();

    /// <summary>
    /// True when <see cref="Columns"/> reads A where it lies instead of packing it: on both vector
    /// paths, when A's rows are contiguous along the depth (a forward product's activations, an input
    /// gradient's dY) and there are at most <see cref="InPlaceMaximumRows"/> of them or the depth
    /// fits one depth block; and when A is read transposed (a weight gradient's dYᵀ, whose rows at one
    /// depth lie side by side) with at most that many rows, however deep. Broadcasts from the rows cost the kernel what
    /// broadcasts from a packed panel do, and the copy (serial, or a fork and join of its own, before
    /// a product is split across threads) is gone. Products both tall and deep pack A: a 1024³
    /// product measured 8 % faster packed, while CharGpt's [2048, 64] and [2048, 256] activations read
    /// in place made its two-thread step 5 to 8 % faster, and its weight gradients (dYᵀ of 60 to 256 rows,
    /// 2,048 deep) 3 to 21 % faster at one thread read in place than packed.
    /// </summary>
    public static bool ReadsAInPlace(VectorPath path, int rs, int cs, int m, int k) =>
        (path == VectorPath.Avx2 || path == VectorPath.Avx512) &&
        ((cs == 1 && (m <= InPlaceMaximumRows || k <= DepthBlock)) || (rs == 1 && m <= InPlaceMaximumRows));

    private const int InPlaceMaximumRows = 512;

    /// <summary>Floats that all of a k x n B takes packed (<see cref="PackWholeB"/>): every depth block's panels, columns padded to whole panels.</summary>
    public static long WholeBSize(VectorPath path, int n, int k)
    {
        int width = PanelColumns(path);
        return (long)((n + width - 1) / width * width) * k;
    }

    /// <summary>
    /// Packs all of B, depth block after depth block, as <see cref="Columns"/> would pack it block by
    /// block, so that many products with the same B (the steps of a recurrent layer) pack it once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackWholeB(VectorPath path, float* b, BLayout layout, int n, int k, float* packed)
    {
        int width = PanelColumns(path);
        long paddedColumns = (n + width - 1) / width * width;
        for (int pc = 0; pc < k; pc += DepthBlock)
        {
            int depth = Math.Min(DepthBlock, k - pc);
            for (int jc = 0; jc < n; jc += ColumnBlock)
            {
                float* block = packed + pc * paddedColumns + (long)jc * depth;
                int columns = Math.Min(ColumnBlock, n - jc);
                if (layout == BLayout.RowMajor) PackRowMajorB(b + (long)pc * n + jc, n, block, depth, columns, width);
                else PackTransposedB(b + (long)jc * k + pc, k, block, depth, columns, width);
            }
        }
    }

    /// <summary>
    /// c[i, j] += sum_p A(i, p) B(p, j) for i &lt; m and j0 &lt;= j &lt; j1, with A(i, p) = a[i * rs + p * cs].
    /// <paramref name="wholeA"/> is A from <see cref="AcquireWholeA"/>, or null to pack it here block by block;
    /// <paramref name="wholeB"/> likewise B from <see cref="PackWholeB"/>, or null; both packed for <paramref name="path"/>.
    /// With <paramref name="bias"/> (n values), c is not read: the first depth block adds its chains to
    /// bias[j] instead, the bits c would hold had every row been filled with the bias first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Columns(VectorPath path, float* a, int rs, int cs, float* b, BLayout layout, float* c, int m, int n, int k, int j0, int j1, float* wholeA, float* wholeB = null, float* bias = null)
    {
        bool wide = path == VectorPath.Avx512;
        int height = wide ? WideRows : NarrowRows, width = wide ? WideColumns : NarrowColumns;
        long paddedRows = (m + height - 1) / height * height;
        long paddedColumns = (n + width - 1) / width * width;
        bool inPlaceA = ReadsAInPlace(path, rs, cs, m, k) && wholeA == null;
        float* packedA = t_packedA, packedB = t_packedB;
        if (packedA == null)
        {
            packedA = t_packedA = (float*)NativeMemory.AlignedAlloc((nuint)(RowBlock * DepthBlock * sizeof(float)), 64);
            packedB = t_packedB = (float*)NativeMemory.AlignedAlloc((nuint)(ColumnBlock * DepthBlock * sizeof(float)), 64);
        }
        for (int pc = 0; pc < k; pc += DepthBlock)
        {
            int depth = Math.Min(DepthBlock, k - pc);
            for (int jc = j0; jc < j1; jc += ColumnBlock)
            {
                int columns = Math.Min(ColumnBlock, j1 - jc);
                float* blockB = packedB;
                if (wholeB != null) blockB = wholeB + pc * paddedColumns + (long)jc * depth;
                else if (layout == BLayout.RowMajor) PackRowMajorB(b + (long)pc * n + jc, n, packedB, depth, columns, width);
                else PackTransposedB(b + (long)jc * k + pc, k, packedB, depth, columns, width);
                for (int ic = 0; ic < m; ic += RowBlock)
                {
                    int rows = Math.Min(RowBlock, m - ic);
                    if (inPlaceA)
                    {
                        // The kernels broadcast A's values from where they lie.
                        float* rowsA = a + (long)ic * rs + (long)pc * cs;
                        for (int jr = 0; jr < columns; jr += width)
                        {
                            float* panelB = blockB + (long)jr * depth;
                            int panelColumns = Math.Min(width, columns - jr);
                            float* cBlock = c + (long)ic * n + jc + jr;
                            float* panelBias = pc == 0 && bias != null ? bias + jc + jr : null;
                            if (wide) WidePanelsInPlace(rowsA, rs, cs, panelB, depth, cBlock, n, rows, panelColumns, panelBias);
                            else
                                for (int ir = 0; ir < rows; ir += NarrowRows)
                                    Kernel6x16(rowsA + (long)ir * rs, rs, cs, panelB, depth, cBlock + (long)ir * n, n, Math.Min(NarrowRows, rows - ir), panelColumns, panelBias);
                        }
                        continue;
                    }
                    float* blockA = packedA;
                    if (wholeA != null) blockA = wholeA + pc * paddedRows + (long)ic * depth;
                    else PackA(a + (long)ic * rs + (long)pc * cs, rs, cs, packedA, depth, rows, height);
                    for (int jr = 0; jr < columns; jr += width)
                    {
                        float* panelB = blockB + (long)jr * depth;
                        int panelColumns = Math.Min(width, columns - jr);
                        float* cBlock = c + (long)ic * n + jc + jr;
                        float* panelBias = pc == 0 && bias != null ? bias + jc + jr : null;
                        if (wide) WidePanels(blockA, panelB, depth, cBlock, n, rows, panelColumns, panelBias);
                        else
                            for (int ir = 0; ir < rows; ir += NarrowRows)
                                Kernel6x16(blockA + (long)ir * depth, 1, NarrowRows, panelB, depth, cBlock + (long)ir * n, n, Math.Min(NarrowRows, rows - ir), panelColumns, panelBias);
                    }
                }
            }
        }
    }

    // The AVX-512 panels of one row block against one B panel; bias (or null) as in Columns.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WidePanels(float* blockA, float* panelB, int depth, float* c, int ldc, int rows, int panelColumns, float* bias)
    {
        int ir = 0;
        for (; ir + WideRows <= rows; ir += WideRows)
            Kernel12x32(blockA + (long)ir * depth, 1, WideRows, panelB, depth, c + (long)ir * ldc, ldc, panelColumns, bias);
        // The last, partial panel: four rows at a time instead of twelve with zeros.
        for (int r = 0; ir + r < rows; r += 4)
            Kernel4x32(blockA + (long)ir * depth + r, 1, WideRows, panelB, depth, c + (long)(ir + r) * ldc, ldc, Math.Min(4, rows - ir - r), panelColumns, bias);
    }

    // WidePanels with A read in place: A(r, p) at rowsA[r * rs + p * cs]; bias as in Columns.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WidePanelsInPlace(float* rowsA, long rs, long cs, float* panelB, int depth, float* c, int ldc, int rows, int panelColumns, float* bias)
    {
        int ir = 0;
        for (; ir + WideRows <= rows; ir += WideRows)
            Kernel12x32(rowsA + ir * rs, rs, cs, panelB, depth, c + (long)ir * ldc, ldc, panelColumns, bias);
        for (int r = 0; ir + r < rows; r += 4)
            Kernel4x32(rowsA + (ir + r) * rs, rs, cs, panelB, depth, c + (long)(ir + r) * ldc, ldc, Math.Min(4, rows - ir - r), panelColumns, bias);
    }

    // Panels of `height` rows, depth-major: packed[panel][p * height + r] = A(r, p); missing rows are zeros.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(float* a, int rs, int cs, float* packed, int depth, int rows, int height)
    {
        for (int ir = 0; ir < rows; ir += height)
        {
            int panelRows = Math.Min(height, rows - ir);
            float* panel = packed + (long)ir * depth;
            if (panelRows < height) new Span<float>(panel, height * depth).Clear();
            if (rs == 1)
            {
                // A read transposed (a weight gradient's dYᵀ): a panel's rows at one depth lie side by side.
                float* source = a + ir;
                if (panelRows == WideRows && height == WideRows)
                {
                    for (int p = 0; p < depth; p++, source += cs)
                    {
                        Vector256.Store(Vector256.Load(source), panel + p * WideRows);
                        Vector128.Store(Vector128.Load(source + 8), panel + p * WideRows + 8);
                    }
                }
                else if (panelRows == NarrowRows && height == NarrowRows)
                {
                    for (int p = 0; p < depth; p++, source += cs)
                    {
                        float* destination = panel + p * NarrowRows;
                        Vector128.Store(Vector128.Load(source), destination);
                        *(long*)(destination + 4) = *(long*)(source + 4);
                    }
                }
                else
                {
                    for (int p = 0; p < depth; p++, source += cs)
                        new ReadOnlySpan<float>(source, panelRows).CopyTo(new Span<float>(panel + p * height, panelRows));
                }
                continue;
            }
            int r = 0;
            if (cs == 1 && panelRows == NarrowRows && height == NarrowRows && Avx.IsSupported)
            {
                Transpose8(a + (long)ir * rs, rs, NarrowRows, panel, NarrowRows, depth);
                continue;
            }
            if (cs == 1)
            {
                for (; r + 4 <= panelRows; r += 4) Transpose(a + (long)(ir + r) * rs, rs, panel + r, height, depth);
                // The AVX2 panels' last two rows of six.
                for (; r + 2 <= panelRows; r += 2) TransposePair(a + (long)(ir + r) * rs, rs, panel + r, height, depth);
            }
            for (; r < panelRows; r++)
            {
                float* source = a + (long)(ir + r) * rs;
                float* destination = panel + r;
                for (int p = 0; p < depth; p++) destination[p * height] = source[(long)p * cs];
            }
        }
    }

    // Panels of `width` columns, depth-major: packed[panel][p * width + j] = b[p, j]; missing columns are zeros.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRowMajorB(float* b, int ldb, float* packed, int depth, int columns, int width)
    {
        for (int jr = 0; jr < columns; jr += width)
        {
            int panelColumns = Math.Min(width, columns - jr);
            float* panel = packed + (long)jr * depth;
            float* source = b + jr;
            if (panelColumns == width)
            {
                // Copied 8 floats at a time: Vector256 is accelerated on both paths.
                for (int p = 0; p < depth; p++, source += ldb, panel += width)
                    for (int j = 0; j < width; j += 8) Vector256.Load(source + j).Store(panel + j);
            }
            else
            {
                for (int p = 0; p < depth; p++, source += ldb, panel += width)
                {
                    new Span<float>(panel, width).Clear();
                    new ReadOnlySpan<float>(source, panelColumns).CopyTo(new Span<float>(panel, panelColumns));
                }
            }
        }
    }

    // The same panels from w stored [n, k]: packed[panel][p * width + j] = w[j, p], a transpose.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposedB(float* w, int ldw, float* packed, int depth, int columns, int width)
    {
        for (int jr = 0; jr < columns; jr += width)
        {
            int panelColumns = Math.Min(width, columns - jr);
            float* panel = packed + (long)jr * depth;
            if (panelColumns < width) new Span<float>(panel, width * depth).Clear();
            int j = 0;
            if (Avx.IsSupported)
                for (; j + 8 <= panelColumns; j += 8) Transpose8(w + (long)(jr + j) * ldw, ldw, 8, panel + j, width, depth);
            for (; j + 4 <= panelColumns; j += 4) Transpose(w + (long)(jr + j) * ldw, ldw, panel + j, width, depth);
            for (; j < panelColumns; j++)
            {
                float* source = w + (long)(jr + j) * ldw;
                float* destination = panel + j;
                for (int p = 0; p < depth; p++) destination[p * width] = source[p];
            }
        }
    }

    /// <summary>
    /// Copies four source rows of length depth (row stride ld) into four adjacent columns of a
    /// depth-major panel of width panelWidth: destination[p * panelWidth + r] = source[r * ld + p].
    /// Four-by-four blocks go through SSE shuffles, four values per load and store instead of one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(float* source, int ld, float* destination, int panelWidth, int depth)
    {
        float* s0 = source, s1 = source + ld, s2 = s1 + ld, s3 = s2 + ld;
        int p = 0;
        if (Sse.IsSupported)
        {
            for (; p + 4 <= depth; p += 4)
            {
                Vector128<float> r0 = Sse.LoadVector128(s0 + p), r1 = Sse.LoadVector128(s1 + p);
                Vector128<float> r2 = Sse.LoadVector128(s2 + p), r3 = Sse.LoadVector128(s3 + p);
                Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
                Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
                float* d = destination + (long)p * panelWidth;
                Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
                Sse.Store(d + panelWidth, Sse.MoveHighToLow(t1, t0));
                Sse.Store(d + 2 * panelWidth, Sse.MoveLowToHigh(t2, t3));
                Sse.Store(d + 3 * panelWidth, Sse.MoveHighToLow(t3, t2));
            }
        }
        for (; p < depth; p++)
        {
            float* d = destination + (long)p * panelWidth;
            d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p]; d[3] = s3[p];
        }
    }

    /// <summary>
    /// <see cref="Transpose"/> for eight source rows (a B panel's columns from a weight stored [n, k]) or
    /// six (a whole AVX2 A panel, panelWidth 6), eight-by-eight blocks through AVX shuffles: loads and
    /// stores twice as wide as four-by-four blocks'. With six rows the two surplus lanes repeat row 0,
    /// and each depth's eight lanes are stored in depth order six floats apart, so the next depth's
    /// store overwrites the surplus; the block's last depth stores exactly six floats, so nothing past
    /// the panel is written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8(float* source, int ld, int rows, float* destination, int panelWidth, int depth)
    {
        float* s0 = source, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld, s4 = s3 + ld, s5 = s4 + ld;
        float* s6 = rows > 6 ? s5 + ld : s0, s7 = rows > 6 ? s6 + ld : s0;
        int p = 0;
        for (; p + 8 <= depth; p += 8)
        {
            Vector256<float> r0 = Avx.LoadVector256(s0 + p), r1 = Avx.LoadVector256(s1 + p);
            Vector256<float> r2 = Avx.LoadVector256(s2 + p), r3 = Avx.LoadVector256(s3 + p);
            Vector256<float> r4 = Avx.LoadVector256(s4 + p), r5 = Avx.LoadVector256(s5 + p);
            Vector256<float> r6 = Avx.LoadVector256(s6 + p), r7 = Avx.LoadVector256(s7 + p);
            // Pairs of rows interleaved, then pairs of pairs: each 128-bit half holds four rows at one depth.
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* d = destination + (long)p * panelWidth;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + panelWidth, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * panelWidth, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * panelWidth, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * panelWidth, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * panelWidth, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * panelWidth, Avx.Permute2x128(u2, u6, 0x31));
            var last = Avx.Permute2x128(u3, u7, 0x31);
            if (rows > 6) Avx.Store(d + 7 * panelWidth, last);
            else
            {
                Sse.Store(d + 7 * panelWidth, last.GetLower());
                Sse.StoreLow(d + 7 * panelWidth + 4, last.GetUpper());
            }
        }
        if (p < depth)
        {
            float* d = destination + (long)p * panelWidth;
            Transpose(s0 + p, ld, d, panelWidth, depth - p);
            if (rows > 6) Transpose(s4 + p, ld, d + 4, panelWidth, depth - p);
            else TransposePair(s4 + p, ld, d + 4, panelWidth, depth - p);
        }
    }

    /// <summary>
    /// <see cref="Transpose"/> for two source rows: destination[p * panelWidth + r] = source[r * ld + p]
    /// for r &lt; 2, four depths per pair of loads (interleaved, then stored a pair at a time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposePair(float* source, int ld, float* destination, int panelWidth, int depth)
    {
        float* s0 = source, s1 = source + ld;
        int p = 0;
        if (Sse.IsSupported)
        {
            for (; p + 4 <= depth; p += 4)
            {
                Vector128<float> r0 = Sse.LoadVector128(s0 + p), r1 = Sse.LoadVector128(s1 + p);
                Vector128<float> low = Sse.UnpackLow(r0, r1), high = Sse.UnpackHigh(r0, r1);
                float* d = destination + (long)p * panelWidth;
                Sse.StoreLow(d, low);
                Sse.StoreHigh(d + panelWidth, low);
                Sse.StoreLow(d + 2 * panelWidth, high);
                Sse.StoreHigh(d + 3 * panelWidth, high);
            }
        }
        for (; p < depth; p++)
        {
            float* d = destination + (long)p * panelWidth;
            d[0] = s0[p]; d[1] = s1[p];
        }
    }

    // 12 rows x 32 columns of c in 24 accumulators; each depth step is 2 loads of B, 12 broadcasts of A, 24 FMAs.
    // A(r, p) is a[r * rowStride + p * depthStride]: a packed panel (1, 12) or rows read in place (lda, 1).
    // Three row pointers step along the depth and the other nine rows sit one, two and three row strides
    // past them, which x64 addressing reaches without arithmetic. Every element is one chain in depth order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel12x32(float* a, long rowStride, long depthStride, float* b, int depth, float* c, int ldc, int columns, float* bias)
    {
        long lda = rowStride, lda2 = 2 * lda, lda3 = 3 * lda;
        float* a0 = a, a4 = a + 4 * lda, a8 = a + 8 * lda;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        for (int p = 0; p < depth; p++, a0 += depthStride, a4 += depthStride, a8 += depthStride, b += WideColumns)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a0[0]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a0[lda]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a0[lda2]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a0[lda3]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[0]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a4[lda]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a4[lda2]);
            c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a4[lda3]);
            c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a8[0]);
            c80 = Vector512.FusedMultiplyAdd(x, b0, c80); c81 = Vector512.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a8[lda]);
            c90 = Vector512.FusedMultiplyAdd(x, b0, c90); c91 = Vector512.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a8[lda2]);
            cA0 = Vector512.FusedMultiplyAdd(x, b0, cA0); cA1 = Vector512.FusedMultiplyAdd(x, b1, cA1);
            x = Vector512.Create(a8[lda3]);
            cB0 = Vector512.FusedMultiplyAdd(x, b0, cB0); cB1 = Vector512.FusedMultiplyAdd(x, b1, cB1);
        }
        if (columns == WideColumns && bias == null)
        {
            AddTo(c, c00, c01); AddTo(c + ldc, c10, c11); AddTo(c + 2 * ldc, c20, c21); AddTo(c + 3 * ldc, c30, c31);
            AddTo(c + 4 * ldc, c40, c41); AddTo(c + 5 * ldc, c50, c51); AddTo(c + 6 * ldc, c60, c61); AddTo(c + 7 * ldc, c70, c71);
            AddTo(c + 8 * ldc, c80, c81); AddTo(c + 9 * ldc, c90, c91); AddTo(c + 10 * ldc, cA0, cA1); AddTo(c + 11 * ldc, cB0, cB1);
            return;
        }
        if (columns == WideColumns)
        {
            var low = Vector512.Load(bias);
            var high = Vector512.Load(bias + 16);
            Put(c, low, high, c00, c01); Put(c + ldc, low, high, c10, c11); Put(c + 2 * ldc, low, high, c20, c21);
            Put(c + 3 * ldc, low, high, c30, c31); Put(c + 4 * ldc, low, high, c40, c41); Put(c + 5 * ldc, low, high, c50, c51);
            Put(c + 6 * ldc, low, high, c60, c61); Put(c + 7 * ldc, low, high, c70, c71); Put(c + 8 * ldc, low, high, c80, c81);
            Put(c + 9 * ldc, low, high, c90, c91); Put(c + 10 * ldc, low, high, cA0, cA1); Put(c + 11 * ldc, low, high, cB0, cB1);
            return;
        }
        float* tile = stackalloc float[WideRows * WideColumns];
        Store(tile, c00, c01); Store(tile + 32, c10, c11); Store(tile + 64, c20, c21); Store(tile + 96, c30, c31);
        Store(tile + 128, c40, c41); Store(tile + 160, c50, c51); Store(tile + 192, c60, c61); Store(tile + 224, c70, c71);
        Store(tile + 256, c80, c81); Store(tile + 288, c90, c91); Store(tile + 320, cA0, cA1); Store(tile + 352, cB0, cB1);
        AddTile(tile, c, ldc, WideRows, columns, bias);
    }

    // Four rows of c, 32 columns (the rows a 12-row block leaves over), A addressed as in Kernel12x32;
    // rows past the last (rows < 4) read row 0 again and are never stored.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x32(float* a, long rowStride, long depthStride, float* b, int depth, float* c, int ldc, int rows, int columns, float* bias)
    {
        float* a0 = a, a1 = rows > 1 ? a0 + rowStride : a0, a2 = rows > 2 ? a1 + rowStride : a0, a3 = rows > 3 ? a2 + rowStride : a0;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < depth; p++, a0 += depthStride, a1 += depthStride, a2 += depthStride, a3 += depthStride, b += WideColumns)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(*a0);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(*a1);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(*a2);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(*a3);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
        }
        float* tile = stackalloc float[4 * WideColumns];
        Store(tile, c00, c01); Store(tile + 32, c10, c11); Store(tile + 64, c20, c21); Store(tile + 96, c30, c31);
        AddTile(tile, c, ldc, rows, columns, bias);
    }

    // The rows and columns of a spilled tile that exist, added to c or (first depth block of a fused bias) to the bias.
    private static void AddTile(float* tile, float* c, int ldc, int rows, int columns, float* bias)
    {
        for (int r = 0; r < rows; r++)
        {
            float* row = c + (long)r * ldc, sums = tile + r * WideColumns;
            if (bias != null)
            {
                for (int j = 0; j < columns; j++) row[j] = bias[j] + sums[j];
                continue;
            }
            if (columns == WideColumns) AddTo(row, Vector512.Load(sums), Vector512.Load(sums + 16));
            else for (int j = 0; j < columns; j++) row[j] += sums[j];
        }
    }

    // c = bias + the accumulators: what AddTo gives on a c filled with the bias.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* c, Vector512<float> biasLow, Vector512<float> biasHigh, Vector512<float> low, Vector512<float> high)
    {
        (biasLow + low).Store(c);
        (biasHigh + high).Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(float* c, Vector512<float> low, Vector512<float> high)
    {
        (Vector512.Load(c) + low).Store(c);
        (Vector512.Load(c + 16) + high).Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* tile, Vector512<float> low, Vector512<float> high)
    {
        low.Store(tile);
        high.Store(tile + 16);
    }

    // 6 rows x 16 columns of c in 12 ymm accumulators; each depth step is 2 loads of B, 6 broadcasts of A, 12 FMAs.
    // A(r, p) is a[r * rowStride + p * depthStride]: a packed panel (1, 6), rows read in place (lda, 1) or a
    // transposed A read in place (1, lda). Each row has its own base pointer and all six step by one offset
    // along the depth, which x64 addressing adds without arithmetic. Rows past the last (rows < 6) read
    // row 0 again and are never stored; columns past the last (columns < 16) are computed and never stored.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(float* a, long rowStride, long depthStride, float* b, int depth, float* c, int ldc, int rows, int columns, float* bias)
    {
        float* a0 = a, a1 = rows > 1 ? a0 + rowStride : a0, a2 = rows > 2 ? a1 + rowStride : a0;
        float* a3 = rows > 3 ? a2 + rowStride : a0, a4 = rows > 4 ? a3 + rowStride : a0, a5 = rows > 5 ? a4 + rowStride : a0;
        PrefetchTile(c, ldc);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        long offset = 0;
        // Two depth steps per iteration: half the loop overhead, the same chain order.
        float* end = b + (depth & ~1) * NarrowColumns;
        for (; b < end; b += 2 * NarrowColumns)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[offset]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[offset]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[offset]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[offset]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[offset]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[offset]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            offset += depthStride;
            b0 = Vector256.Load(b + 16);
            b1 = Vector256.Load(b + 24);
            x = Vector256.Create(a0[offset]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[offset]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[offset]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[offset]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[offset]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[offset]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            offset += depthStride;
        }
        if ((depth & 1) != 0)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[offset]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[offset]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[offset]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[offset]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[offset]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[offset]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
        }
        if (columns == NarrowColumns && bias == null && rows == NarrowRows)
        {
            AddTo(c, c00, c01); AddTo(c + ldc, c10, c11); AddTo(c + 2 * ldc, c20, c21);
            AddTo(c + 3 * ldc, c30, c31); AddTo(c + 4 * ldc, c40, c41); AddTo(c + 5 * ldc, c50, c51);
            return;
        }
        FinishRows(c, ldc, rows, columns, bias, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    // Starts loading the six 64-byte rows of a c tile, which the kernel reads (or writes) only after its depth loop,
    // so that a tile last touched a depth block ago (an L3 or memory access) arrives while the FMAs run.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, int ldc)
    {
        float* row = c;
        for (int r = 0; r < NarrowRows; r++, row += ldc)
        {
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + NarrowColumns - 1);
        }
    }

    // The rows and columns of a 6 x 16 tile that exist (a partial panel, or the first depth block of a fused
    // bias): added to c, or (bias not null) to the bias. A partial panel of columns goes through masked loads
    // and stores, which leave the columns past the last alone; whole rows through plain ones, which are faster.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRows(float* c, int ldc, int rows, int columns, float* bias,
        Vector256<float> c00, Vector256<float> c01, Vector256<float> c10, Vector256<float> c11, Vector256<float> c20, Vector256<float> c21,
        Vector256<float> c30, Vector256<float> c31, Vector256<float> c40, Vector256<float> c41, Vector256<float> c50, Vector256<float> c51)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var lowMask = Vector256.LessThan(lanes, Vector256.Create(columns)).AsSingle();
        var highMask = Vector256.LessThan(lanes, Vector256.Create(columns - 8)).AsSingle();
        bool whole = columns == NarrowColumns;
        FinishRow(c, bias, whole, lowMask, highMask, c00, c01);
        if (rows > 1) FinishRow(c + ldc, bias, whole, lowMask, highMask, c10, c11);
        if (rows > 2) FinishRow(c + 2 * ldc, bias, whole, lowMask, highMask, c20, c21);
        if (rows > 3) FinishRow(c + 3 * ldc, bias, whole, lowMask, highMask, c30, c31);
        if (rows > 4) FinishRow(c + 4 * ldc, bias, whole, lowMask, highMask, c40, c41);
        if (rows > 5) FinishRow(c + 5 * ldc, bias, whole, lowMask, highMask, c50, c51);
    }

    // One row: c = start + sums, where start is c itself or the bias; all 16 columns or the masked ones.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow(float* c, float* bias, bool whole, Vector256<float> lowMask, Vector256<float> highMask, Vector256<float> low, Vector256<float> high)
    {
        float* start = bias != null ? bias : c;
        if (whole)
        {
            (Vector256.Load(start) + low).Store(c);
            (Vector256.Load(start + 8) + high).Store(c + 8);
            return;
        }
        Avx.MaskStore(c, lowMask, Avx.MaskLoad(start, lowMask) + low);
        Avx.MaskStore(c + 8, highMask, Avx.MaskLoad(start + 8, highMask) + high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(float* c, Vector256<float> low, Vector256<float> high)
    {
        (Vector256.Load(c) + low).Store(c);
        (Vector256.Load(c + 8) + high).Store(c + 8);
    }
}
