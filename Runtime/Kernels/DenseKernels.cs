using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// The matrix products of dense layers, for generated code. Every product accumulates into its
/// output (backward passes add gradients; forward passes start from the bias), so callers clear or
/// seed the output first. Matrices are row-major float spans; sizes are the caller's compile-time
/// constants.
/// </summary>
/// <remarks>
/// With AVX-512 or AVX2+FMA (<see cref="KernelPath"/>) the products run register-blocked micro-kernels
/// of that width: from 16 rows of output on, on packed operands (<see cref="PackedProduct"/>); below
/// that, on the operands where they lie (a batch-1 layer reads each weight once, so packing would
/// only add a copy). Elsewhere they run TensorPrimitives row operations (Vector128 inside). Large products are split by output
/// columns across <see cref="KernelThreads"/>: every output element is computed by one thread in the
/// same order whatever the thread count, so the results are bit-identical to the one-thread ones.
/// </remarks>
public static unsafe partial class DenseKernels
{
    // Products smaller than this (multiply-adds) stay on the calling thread: waking a worker costs more.
    private const long ParallelThreshold = 1L << 17;
    // From this many rows of c on, packing both operands (PackedProduct) pays for itself; below it,
    // the dot-product and row kernels here read the operands where they lie.
    private const int PackedMinimumRows = 16;

    /// <summary>
    /// c[i, j] += sum_p a[i, p] * w[j, p] for i &lt; m, j &lt; n, p &lt; k: a dense layer's forward
    /// product with its weight stored [out, in] (PyTorch's layout). a is m x k, w is n x k, c is m x n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> w, Span<float> c, int m, int n, int k)
    {
        CheckExtent(a.Length, (long)m * k, nameof(a));
        CheckExtent(w.Length, (long)n * k, nameof(w));
        CheckExtent(c.Length, (long)m * n, nameof(c));
        if (m == 0 || n == 0 || k == 0) return;
        fixed (float* pa = a, pw = w, pc = c)
        {
            var job = new ProductJob { A = pa, B = pw, C = pc, M = m, N = n, K = k, ARowStride = k, AColumnStride = 1 };
            Run(&MultiplyTransposedColumns, PackedProduct.BLayout.Transposed, ref job, (long)m * n * k, n, 4);
        }
    }

    /// <summary>
    /// <see cref="MultiplyTransposed(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
    /// reading w from slot <paramref name="slot"/> of <paramref name="packed"/> when the product packs
    /// its operands, packed again only when <paramref name="version"/> (the generated class's count of
    /// parameter changes) is not the one the copy was made at: the same bits. Inference passes its
    /// model's <see cref="PackedWeights"/>; a null one (training, whose weights change every step)
    /// packs w here. With <paramref name="overwrite"/>, c = 0 + the sums, the bits of a cleared c,
    /// without reading c (a dense layer without a bias): the product starts from a zero bias, as
    /// F.linear and a BLAS call with beta = 0 write their output without reading it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> w, Span<float> c, int m, int n, int k, PackedWeights? packed, int slot, long version, bool overwrite = false)
    {
        if (overwrite)
        {
            if (n > 0 && n <= MaxZeroBias && k > 0)
            {
                float* zeros = stackalloc float[n];
                new Span<float>(zeros, n).Clear();
                MultiplyTransposed(a, w, new ReadOnlySpan<float>(zeros, n), c, m, n, k, packed, slot, version);
                return;
            }
            CheckExtent(c.Length, (long)m * n, nameof(c));
            c.Slice(0, m * n).Clear();
        }
        if (packed is null || !Packs(m) || n == 0 || k == 0)
        {
            MultiplyTransposed(a, w, c, m, n, k);
            return;
        }
        CheckExtent(w.Length, (long)n * k, nameof(w));
        MultiplyTransposed(a, w, packed.Transposed(slot, w, n, k, version), c, m, n, k);
    }

    /// <summary>
    /// c[i, j] = bias[j] + sum_p a[i, p] * w[j, p]: a dense layer's forward step, with the bits of
    /// <see cref="FillRows"/> followed by <see cref="MultiplyTransposed(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.
    /// c is only written: on packed operands each tile adds its first depth block's sums to the bias
    /// as it stores them, so the bias is never written into c and read back, and the threads that
    /// share the product share that work too. <paramref name="packed"/>, <paramref name="slot"/> and
    /// <paramref name="version"/> read w packed once, as the overload without a bias does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> c, int m, int n, int k,
        PackedWeights? packed = null, int slot = 0, long version = 0)
    {
        CheckExtent(a.Length, (long)m * k, nameof(a));
        CheckExtent(w.Length, (long)n * k, nameof(w));
        CheckExtent(bias.Length, n, nameof(bias));
        CheckExtent(c.Length, (long)m * n, nameof(c));
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            FillRows(bias.Slice(0, n), c, m);
            return;
        }
        float* packedW = packed is not null && Packs(m) ? packed.Transposed(slot, w, n, k, version) : null;
        fixed (float* pa = a, pw = w, pb = bias, pc = c)
        {
            var job = new ProductJob { A = pa, B = pw, C = pc, M = m, N = n, K = k, ARowStride = k, AColumnStride = 1, Bias = pb, PackedB = packedW };
            Run(&MultiplyTransposedColumns, PackedProduct.BLayout.Transposed, ref job, (long)m * n * k, n, 4);
        }
    }

    /// <summary>
    /// c[i, j] += sum_p A(i, p) * b[p, j] for i &lt; m, j &lt; n, p &lt; k, where A(i, p) is
    /// a[i * aRowStride + p * aColumnStride] (so A may be a transposed view) and b is k x n.
    /// Backward of a dense layer: input gradient dY W (a = dY, strides (n_out, 1)) and weight
    /// gradient dY^T X (a = dY read transposed, strides (1, n_out)). With <paramref name="overwrite"/>,
    /// c = 0 + the sums, the bits of a cleared c, without reading c: packed products start their
    /// first depth block from a zero bias, the others clear c first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, int aRowStride, int aColumnStride, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool overwrite = false)
    {
        if (aRowStride < 0 || aColumnStride < 0) throw new ArgumentOutOfRangeException(nameof(aRowStride), "strides must be >= 0");
        if (m == 0 || n == 0) return;
        CheckExtent(c.Length, (long)m * n, nameof(c));
        if (overwrite && (k == 0 || !Packs(m) || n > MaxZeroBias))
        {
            c.Slice(0, m * n).Clear();
            overwrite = false;
        }
        if (k == 0) return;
        CheckExtent(a.Length, (long)(m - 1) * aRowStride + (long)(k - 1) * aColumnStride + 1, nameof(a));
        CheckExtent(b.Length, (long)k * n, nameof(b));
        float* zeros = stackalloc float[overwrite ? n : 0];
        if (overwrite) new Span<float>(zeros, n).Clear();
        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new ProductJob { A = pa, B = pb, C = pc, M = m, N = n, K = k, ARowStride = aRowStride, AColumnStride = aColumnStride, Bias = overwrite ? zeros : null };
            Run(&MultiplyColumns, PackedProduct.BLayout.RowMajor, ref job, (long)m * n * k, n, 16);
        }
    }

    // The widest c an overwriting Multiply starts from a zero bias on the stack (16 KB); wider ones clear c.
    private const int MaxZeroBias = 4096;

    /// <summary>
    /// sums[j] += sum_i g[i, j] over a rows x columns matrix: a bias gradient, summed in row order,
    /// 32 columns at a time in registers. Large ones are split by columns across
    /// <see cref="KernelThreads"/>, which changes no sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddColumnSums(ReadOnlySpan<float> g, Span<float> sums, int rows, int columns)
    {
        CheckExtent(g.Length, (long)rows * columns, nameof(g));
        CheckExtent(sums.Length, columns, nameof(sums));
        if (rows == 0 || columns == 0) return;
        fixed (float* pg = g, ps = sums)
        {
            var job = new ProductJob { A = pg, C = ps, M = rows, N = columns };
            int parts = (long)rows * columns < ParallelThreshold ? 1 : Math.Min(KernelThreads.Parts, (columns + 7) / 8);
            if (parts <= 1 || !KernelThreads.TryRun(&ColumnSums, &job, columns, 8, parts)) ColumnSums(&job, 0, columns);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSums(ProductJob* job, int j0, int j1)
    {
        float* g = job->A, sums = job->C;
        int rows = job->M, n = job->N, j = j0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 32 <= j1; j += 32)
            {
                var s0 = Vector256.Load(sums + j); var s1 = Vector256.Load(sums + j + 8);
                var s2 = Vector256.Load(sums + j + 16); var s3 = Vector256.Load(sums + j + 24);
                float* row = g + j;
                for (int i = 0; i < rows; i++, row += n)
                {
                    s0 += Vector256.Load(row); s1 += Vector256.Load(row + 8);
                    s2 += Vector256.Load(row + 16); s3 += Vector256.Load(row + 24);
                }
                s0.Store(sums + j); s1.Store(sums + j + 8); s2.Store(sums + j + 16); s3.Store(sums + j + 24);
            }
            for (; j + 8 <= j1; j += 8)
            {
                var s0 = Vector256.Load(sums + j);
                float* row = g + j;
                for (int i = 0; i < rows; i++, row += n) s0 += Vector256.Load(row);
                s0.Store(sums + j);
            }
        }
        for (; j < j1; j++)
        {
            float s = sums[j];
            for (int i = 0; i < rows; i++) s += g[(long)i * n + j];
            sums[j] = s;
        }
    }

    /// <summary>Writes the row vector into each of the rows of c (rows x row.Length): a bias before the product adds to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FillRows(ReadOnlySpan<float> row, Span<float> c, int rows)
    {
        CheckExtent(c.Length, (long)rows * row.Length, nameof(c));
        int n = row.Length;
        if (n < 8 || !Vector256.IsHardwareAccelerated)
        {
            for (int i = 0; i < rows; i++) row.CopyTo(c.Slice(i * n, n));
            return;
        }
        fixed (float* pr = row, pc = c)
        {
            float* destination = pc;
            for (int i = 0; i < rows; i++, destination += n)
            {
                int j = 0;
                for (; j + 8 <= n; j += 8) Vector256.Load(pr + j).Store(destination + j);
                // The last, partial vector overlaps the one before it.
                if (j < n) Vector256.Load(pr + n - 8).Store(destination + n - 8);
            }
        }
    }

    /// <summary>True when a product with this many rows of c runs on packed operands, so that packing its B once (<see cref="PackWeight"/>) pays.</summary>
    internal static bool Packs(int m) => Packs(KernelPath.Current, m);

    private static bool Packs(VectorPath path, int m) => path != VectorPath.Portable && m >= PackedMinimumRows;

    /// <summary>Floats <see cref="PackWeight"/> writes for an n x k weight.</summary>
    internal static long PackedWeightSize(int n, int k) => PackedProduct.WholeBSize(KernelPath.Current, n, k);

    /// <summary>
    /// Packs a weight once for many products: w [n, k] as <see cref="MultiplyTransposed"/> reads it
    /// (transposed), or, with <paramref name="rowMajor"/>, b [k, n] as <see cref="Multiply"/> does.
    /// </summary>
    internal static void PackWeight(ReadOnlySpan<float> w, bool rowMajor, int n, int k, float* packed)
    {
        CheckExtent(w.Length, (long)n * k, nameof(w));
        fixed (float* pw = w) PackedProduct.PackWholeB(KernelPath.Current, pw, rowMajor ? PackedProduct.BLayout.RowMajor : PackedProduct.BLayout.Transposed, n, k, packed);
    }

    /// <summary><see cref="MultiplyTransposed"/> with w also given packed (<see cref="PackWeight"/>; null to pack it here): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> w, float* packedW, Span<float> c, int m, int n, int k)
    {
        CheckExtent(a.Length, (long)m * k, nameof(a));
        CheckExtent(w.Length, (long)n * k, nameof(w));
        CheckExtent(c.Length, (long)m * n, nameof(c));
        if (m == 0 || n == 0 || k == 0) return;
        fixed (float* pa = a, pw = w, pc = c)
        {
            var job = new ProductJob { A = pa, B = pw, C = pc, M = m, N = n, K = k, ARowStride = k, AColumnStride = 1, PackedB = packedW };
            Run(&MultiplyTransposedColumns, PackedProduct.BLayout.Transposed, ref job, (long)m * n * k, n, 4);
        }
    }

    /// <summary><see cref="Multiply"/> with b also given packed (<see cref="PackWeight"/> with rowMajor; null to pack it here): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply(ReadOnlySpan<float> a, int aRowStride, int aColumnStride, ReadOnlySpan<float> b, float* packedB, Span<float> c, int m, int n, int k)
    {
        if (m == 0 || n == 0 || k == 0) return;
        CheckExtent(a.Length, (long)(m - 1) * aRowStride + (long)(k - 1) * aColumnStride + 1, nameof(a));
        CheckExtent(b.Length, (long)k * n, nameof(b));
        CheckExtent(c.Length, (long)m * n, nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new ProductJob { A = pa, B = pb, C = pc, M = m, N = n, K = k, ARowStride = aRowStride, AColumnStride = aColumnStride, PackedB = packedB };
            Run(&MultiplyColumns, PackedProduct.BLayout.RowMajor, ref job, (long)m * n * k, n, 16);
        }
    }

    private static void CheckExtent(int length, long needed, string argument)
    {
        if (length < needed) throw new ArgumentException($"'{argument}' has {length} values but the product reads {needed}", argument);
    }

    private struct ProductJob
    {
        public float* A, B, C;
        public int M, N, K, ARowStride, AColumnStride;
        // A packed once for all threads of a packed product (PackedProduct.AcquireWholeA), or null.
        public float* PackedA;
        // B packed by the caller for many products (PackWeight), or null.
        public float* PackedB;
        // The caller's vector path, which the workers take too (KernelPath.Current is per thread).
        public VectorPath Path;
        // Whether the product runs on packed operands, decided by all of its rows: a row chunk of a
        // split product takes the path (and so the bits) the whole product would.
        public bool Packed;
        // A product split by rows: how B is stored, and the column kernel each row chunk runs.
        public PackedProduct.BLayout Layout;
        public delegate*<ProductJob*, int, int, void> Columns;
        // A forward product's bias (n values), which c starts from instead of its contents (an overwriting
        // Multiply's zeros); or null.
        public float* Bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(delegate*<ProductJob*, int, int, void> columns, PackedProduct.BLayout layout, ref ProductJob job, long work, int n, int granule)
    {
        fixed (ProductJob* p = &job)
        {
            var path = p->Path = KernelPath.Current;
            bool packed = p->Packed = Packs(path, job.M);
            p->Layout = layout;
            p->Columns = columns;
            if (packed) granule = PackedProduct.PanelColumns(path);
            bool parallel = work >= ParallelThreshold && KernelThreads.Parts > 1;
            if (parallel && packed && job.M >= RowSplitRatio * n && TryRunRows(p)) return;
            int parts = parallel ? Math.Min(KernelThreads.Parts, (n + granule - 1) / granule) : 1;
            if (parts <= 1)
            {
                columns(p, 0, n);
                return;
            }
            if (packed && !PackedProduct.ReadsAInPlace(path, job.ARowStride, job.AColumnStride, job.M, job.K)) p->PackedA = PackWholeA(p, parts);
            try
            {
                if (!KernelThreads.TryRun(columns, p, n, granule, parts)) columns(p, 0, n);
            }
            finally
            {
                if (p->PackedA != null) PackedProduct.ReleaseWholeA();
            }
        }
    }

    // Packed products with this many times more rows than columns are split by rows.
    private const int RowSplitRatio = 4;

    /// <summary>
    /// Runs a tall, narrow packed product (CharGpt's 2,048 rows of at most 256 columns) split by rows:
    /// split by columns, every thread would read all of A for a few columns each; split by rows, each
    /// reads only its rows, and B, packed once here unless the caller packed it, is shared. Every c
    /// element is still one thread's chain in depth order, so the bits are those of any other split.
    /// Returns false (running nothing) when the shared B buffer is taken.
    /// </summary>
    private static bool TryRunRows(ProductJob* job)
    {
        float* wholeB = null;
        if (job->PackedB == null)
        {
            wholeB = PackedProduct.AcquireWholeB(job->Path, job->N, job->K);
            if (wholeB == null) return false;
            PackedProduct.PackWholeB(job->Path, job->B, job->Layout, job->N, job->K, wholeB);
            job->PackedB = wholeB;
        }
        try
        {
            int height = PackedProduct.PanelRows(job->Path);
            int parts = Math.Min(KernelThreads.Parts, (job->M + height - 1) / height);
            if (parts <= 1 || !KernelThreads.TryRun(&RowChunk, job, job->M, height, parts)) RowChunk(job, 0, job->M);
        }
        finally
        {
            if (wholeB != null) PackedProduct.ReleaseWholeB();
        }
        return true;
    }

    // Rows [i0, i1) of a product split by rows: all of its columns, as a product of its own.
    private static void RowChunk(ProductJob* job, int i0, int i1)
    {
        var rows = *job;
        rows.A = job->A + (long)i0 * job->ARowStride;
        rows.C = job->C + (long)i0 * job->N;
        rows.M = i1 - i0;
        job->Columns(&rows, 0, job->N);
    }

    // A's panels are packed by all threads at once from this many floats of A on.
    private const long ParallelPackMinimum = 1L << 15;

    // All of A packed for the threads of a product (null when the shared buffer is taken), long ones by every thread at once.
    private static float* PackWholeA(ProductJob* job, int parts)
    {
        var path = job->Path;
        float* whole = PackedProduct.AcquireWholeA(path, job->M, job->K);
        if (whole == null) return null;
        job->PackedA = whole;
        int height = PackedProduct.PanelRows(path), panels = (job->M + height - 1) / height;
        parts = Math.Min(parts, panels);
        if ((long)job->M * job->K < ParallelPackMinimum || parts <= 1 || !KernelThreads.TryRun(&PackPanels, job, panels, 1, parts))
            PackPanels(job, 0, panels);
        return whole;
    }

    private static void PackPanels(ProductJob* job, int start, int end)
    {
        int height = PackedProduct.PanelRows(job->Path);
        PackedProduct.PackWholeARows(job->Path, job->A, job->ARowStride, job->AColumnStride, job->M, job->K, job->PackedA,
            start * height, Math.Min(job->M, end * height));
    }

    // ---------------- forward: c += a w^T, both operands contiguous along k ----------------

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyTransposedColumns(ProductJob* job, int j0, int j1)
    {
        float* a = job->A, w = job->B, c = job->C;
        int m = job->M, n = job->N, k = job->K;
        var path = job->Path;
        if (job->Packed)
        {
            PackedProduct.Columns(path, a, k, 1, w, PackedProduct.BLayout.Transposed, c, m, n, k, j0, j1, job->PackedA, job->PackedB, job->Bias);
            return;
        }
        if (job->Bias != null)
        {
            // The small products add into c: this chunk's columns start from the bias.
            var bias = new ReadOnlySpan<float>(job->Bias + j0, j1 - j0);
            for (int i = 0; i < m; i++) bias.CopyTo(new Span<float>(c + (long)i * n + j0, j1 - j0));
        }
        if (path == VectorPath.Avx2)
        {
            SmallTransposedAvx2(a, w, c, m, n, k, j0, j1);
            return;
        }
        if (path != VectorPath.Avx512)
        {
            for (int i = 0; i < m; i++)
                for (int j = j0; j < j1; j++)
                    c[(long)i * n + j] += TensorPrimitives.Dot(new ReadOnlySpan<float>(a + (long)i * k, k), new ReadOnlySpan<float>(w + (long)j * k, k));
            return;
        }
        // Blocks of weight rows small enough to stay in L2 (256 KB) while every row of a streams past them.
        int rowsPerBlock = Math.Max(4, 256 * 1024 / 4 / Math.Max(k, 1) / 4 * 4);
        for (int jb = j0; jb < j1; jb += rowsPerBlock)
        {
            int jEnd = Math.Min(j1, jb + rowsPerBlock);
            int i = 0;
            for (; i + 4 <= m; i += 4)
            {
                int j = jb;
                for (; j + 4 <= jEnd; j += 4) Dot4x4(a + (long)i * k, w + (long)j * k, c + (long)i * n + j, k, n);
                for (; j < jEnd; j++)
                    for (int r = 0; r < 4; r++) c[(long)(i + r) * n + j] += Dot(a + (long)(i + r) * k, w + (long)j * k, k);
            }
            for (; i < m; i++)
            {
                int j = jb;
                for (; j + 4 <= jEnd; j += 4) Dot1x4(a + (long)i * k, w + (long)j * k, c + (long)i * n + j, k);
                for (; j < jEnd; j++) c[(long)i * n + j] += Dot(a + (long)i * k, w + (long)j * k, k);
            }
        }
    }

    // Four rows of a against four rows of w: 16 Vector512 accumulators over k, reduced once at the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4(float* a, float* w, float* c, int k, int ldc)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        float* a1 = a + k, a2 = a1 + k, a3 = a2 + k;
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var b0 = Vector512.Load(w + p);
            var b1 = Vector512.Load(w1 + p);
            var b2 = Vector512.Load(w2 + p);
            var b3 = Vector512.Load(w3 + p);
            var x = Vector512.Load(a + p);
            s00 = Vector512.FusedMultiplyAdd(x, b0, s00); s01 = Vector512.FusedMultiplyAdd(x, b1, s01);
            s02 = Vector512.FusedMultiplyAdd(x, b2, s02); s03 = Vector512.FusedMultiplyAdd(x, b3, s03);
            x = Vector512.Load(a1 + p);
            s10 = Vector512.FusedMultiplyAdd(x, b0, s10); s11 = Vector512.FusedMultiplyAdd(x, b1, s11);
            s12 = Vector512.FusedMultiplyAdd(x, b2, s12); s13 = Vector512.FusedMultiplyAdd(x, b3, s13);
            x = Vector512.Load(a2 + p);
            s20 = Vector512.FusedMultiplyAdd(x, b0, s20); s21 = Vector512.FusedMultiplyAdd(x, b1, s21);
            s22 = Vector512.FusedMultiplyAdd(x, b2, s22); s23 = Vector512.FusedMultiplyAdd(x, b3, s23);
            x = Vector512.Load(a3 + p);
            s30 = Vector512.FusedMultiplyAdd(x, b0, s30); s31 = Vector512.FusedMultiplyAdd(x, b1, s31);
            s32 = Vector512.FusedMultiplyAdd(x, b2, s32); s33 = Vector512.FusedMultiplyAdd(x, b3, s33);
        }
        float* c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        c[0] += Vector512.Sum(s00) + TailDot(a, w, p, k); c[1] += Vector512.Sum(s01) + TailDot(a, w1, p, k);
        c[2] += Vector512.Sum(s02) + TailDot(a, w2, p, k); c[3] += Vector512.Sum(s03) + TailDot(a, w3, p, k);
        c1[0] += Vector512.Sum(s10) + TailDot(a1, w, p, k); c1[1] += Vector512.Sum(s11) + TailDot(a1, w1, p, k);
        c1[2] += Vector512.Sum(s12) + TailDot(a1, w2, p, k); c1[3] += Vector512.Sum(s13) + TailDot(a1, w3, p, k);
        c2[0] += Vector512.Sum(s20) + TailDot(a2, w, p, k); c2[1] += Vector512.Sum(s21) + TailDot(a2, w1, p, k);
        c2[2] += Vector512.Sum(s22) + TailDot(a2, w2, p, k); c2[3] += Vector512.Sum(s23) + TailDot(a2, w3, p, k);
        c3[0] += Vector512.Sum(s30) + TailDot(a3, w, p, k); c3[1] += Vector512.Sum(s31) + TailDot(a3, w1, p, k);
        c3[2] += Vector512.Sum(s32) + TailDot(a3, w2, p, k); c3[3] += Vector512.Sum(s33) + TailDot(a3, w3, p, k);
    }

    // One row of a against four rows of w: batch-1 inference, bound by reading w.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x4(float* a, float* w, float* c, int k)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var x = Vector512.Load(a + p);
            s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w + p), s0);
            s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w1 + p), s1);
            s2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w2 + p), s2);
            s3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w3 + p), s3);
        }
        c[0] += Vector512.Sum(s0) + TailDot(a, w, p, k);
        c[1] += Vector512.Sum(s1) + TailDot(a, w1, p, k);
        c[2] += Vector512.Sum(s2) + TailDot(a, w2, p, k);
        c[3] += Vector512.Sum(s3) + TailDot(a, w3, p, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* a, float* w, int k)
    {
        Vector512<float> s = default;
        int p = 0;
        for (; p + 16 <= k; p += 16) s = Vector512.FusedMultiplyAdd(Vector512.Load(a + p), Vector512.Load(w + p), s);
        return Vector512.Sum(s) + TailDot(a, w, p, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float TailDot(float* a, float* w, int p, int k)
    {
        float s = 0f;
        for (; p < k; p++) s = MathF.FusedMultiplyAdd(a[p], w[p], s);
        return s;
    }

    // ---------------- backward: c += A b, b contiguous along the output columns ----------------

    // Rows of b per block: 256 rows of a 32-column panel is 32 KB, which stays in L1 across row blocks.
    private const int DepthBlock = 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyColumns(ProductJob* job, int j0, int j1)
    {
        float* a = job->A, b = job->B, c = job->C;
        int m = job->M, n = job->N, k = job->K, rs = job->ARowStride, cs = job->AColumnStride;
        var path = job->Path;
        if (job->Packed)
        {
            PackedProduct.Columns(path, a, rs, cs, b, PackedProduct.BLayout.RowMajor, c, m, n, k, j0, j1, job->PackedA, job->PackedB, job->Bias);
            return;
        }
        if (path == VectorPath.Avx2)
        {
            SmallRowMajorAvx2(a, rs, cs, b, c, m, n, k, j0, j1);
            return;
        }
        if (path != VectorPath.Avx512)
        {
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + (long)i * n + j0, j1 - j0);
                for (int p = 0; p < k; p++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(b + (long)p * n + j0, j1 - j0), a[(long)i * rs + (long)p * cs], row, row);
            }
            return;
        }
        for (int pb = 0; pb < k; pb += DepthBlock)
        {
            int depth = Math.Min(DepthBlock, k - pb);
            float* ab = a + (long)pb * cs, bb = b + (long)pb * n;
            int j = j0;
            for (; j + 32 <= j1; j += 32)
            {
                int i = 0;
                for (; i + 8 <= m; i += 8) Axpy8x32(ab + (long)i * rs, rs, cs, bb + j, n, c + (long)i * n + j, depth);
                for (; i < m; i++) Axpy1x32(ab + (long)i * rs, cs, bb + j, n, c + (long)i * n + j, depth);
            }
            for (; j + 16 <= j1; j += 16)
                for (int i = 0; i < m; i++) Axpy1x16(ab + (long)i * rs, cs, bb + j, n, c + (long)i * n + j, depth);
            for (; j < j1; j++)
                for (int i = 0; i < m; i++)
                {
                    float s = 0f;
                    for (int p = 0; p < depth; p++) s = MathF.FusedMultiplyAdd(ab[(long)i * rs + (long)p * cs], bb[(long)p * n + j], s);
                    c[(long)i * n + j] += s;
                }
        }
    }

    // Eight rows of c, 32 columns: 16 Vector512 accumulators; each step broadcasts one a per row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy8x32(float* a, int rs, int cs, float* b, int ldb, float* c, int depth)
    {
        float* c1 = c + ldb, c2 = c1 + ldb, c3 = c2 + ldb, c4 = c3 + ldb, c5 = c4 + ldb, c6 = c5 + ldb, c7 = c6 + ldb;
        Vector512<float> r00 = default, r01 = default, r10 = default, r11 = default, r20 = default, r21 = default, r30 = default, r31 = default;
        Vector512<float> r40 = default, r41 = default, r50 = default, r51 = default, r60 = default, r61 = default, r70 = default, r71 = default;
        float* a1 = a + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs, a6 = a5 + rs, a7 = a6 + rs;
        long offset = 0;
        for (int p = 0; p < depth; p++, offset += cs, b += ldb)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
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
        AddTo(c, r00, r01); AddTo(c1, r10, r11); AddTo(c2, r20, r21); AddTo(c3, r30, r31);
        AddTo(c4, r40, r41); AddTo(c5, r50, r51); AddTo(c6, r60, r61); AddTo(c7, r70, r71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(float* c, Vector512<float> low, Vector512<float> high)
    {
        (Vector512.Load(c) + low).Store(c);
        (Vector512.Load(c + 16) + high).Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy1x32(float* a, int cs, float* b, int ldb, float* c, int depth)
    {
        Vector512<float> r0 = default, r1 = default;
        long offset = 0;
        for (int p = 0; p < depth; p++, offset += cs, b += ldb)
        {
            var x = Vector512.Create(a[offset]);
            r0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b), r0);
            r1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 16), r1);
        }
        AddTo(c, r0, r1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy1x16(float* a, int cs, float* b, int ldb, float* c, int depth)
    {
        Vector512<float> r0 = default;
        long offset = 0;
        for (int p = 0; p < depth; p++, offset += cs, b += ldb)
            r0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[offset]), Vector512.Load(b), r0);
        (Vector512.Load(c) + r0).Store(c);
    }
}
