using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Layer normalization over the last axis, row by row, as torch.nn.LayerNorm: y = (x - mean) /
/// √(var + eps) · weight + bias with the biased variance. A row's sums, normalization and products
/// run eight lanes at a time (Vector256, accelerated on both vector paths; a scalar tail for the
/// features past the last whole vector), the backward pass recomputing each row's statistics
/// rather than storing them. A row's sums are chains of dependent adds (two chains of eight
/// vectors for 64 features), so the statistics and the backward sums take four rows side by side,
/// each row with the operations it takes alone. Rows are independent, so both passes cut them across
/// <see cref="KernelThreads"/>; the weight and bias gradients, which sum over rows, are summed per
/// fixed group of <see cref="GroupRows"/> rows in row order and the groups then added in order, so
/// the thread count never changes a bit.
/// </summary>
public static unsafe class LayerNormKernels
{
    // Rows per group of the weight and bias gradients' partial sums, and per chunk of work.
    private const int GroupRows = 64;
    // Below this many values a pass stays on the calling thread.
    private const int ParallelValues = 1 << 15;

    // The calling thread's buffer of per-group partial sums of the weight and bias gradients.
    [ThreadStatic] private static float* t_partials;
    [ThreadStatic] private static long t_partialFloats;

    /// <summary>y [rows, features] = the normalized rows of x times weight plus bias.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int rows, int features, float epsilon)
    {
        Check(x.Length, weight.Length, y.Length, rows, features);
        if (bias.Length < features) throw new ArgumentException($"the bias has {bias.Length} values but the rows {features}", nameof(bias));
        fixed (float* px = x, pw = weight, pb = bias, py = y)
        {
            var job = new Job { X = px, Weight = pw, Bias = pb, Y = py, Rows = rows, Features = features, Epsilon = epsilon };
            Run(&ForwardGroups, &job);
        }
    }

    /// <summary>
    /// Adds the gradients of x, weight and bias (each skipped when its span is empty) given the
    /// output's gradient: with x̂ the normalized row and h = g · weight,
    /// dx = rstd (h - mean(h) - x̂ mean(h x̂)), dweight = Σ g x̂, dbias = Σ g. With
    /// <paramref name="overwriteInputGradient"/> dx is written as if added to zeros (the same bits),
    /// so the caller need not clear it first.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient, Span<float> weightGradient, Span<float> biasGradient, int rows, int features, float epsilon,
        bool overwriteInputGradient = false)
    {
        Check(x.Length, weight.Length, outputGradient.Length, rows, features);
        if (!inputGradient.IsEmpty && inputGradient.Length < (long)rows * features) throw new ArgumentException($"the input gradient has {inputGradient.Length} values but [{rows}, {features}] needs {(long)rows * features}", nameof(inputGradient));
        if (!weightGradient.IsEmpty && weightGradient.Length < features) throw new ArgumentException($"the weight gradient has {weightGradient.Length} values but the rows {features}", nameof(weightGradient));
        if (!biasGradient.IsEmpty && biasGradient.Length < features) throw new ArgumentException($"the bias gradient has {biasGradient.Length} values but the rows {features}", nameof(biasGradient));
        int groups = (rows + GroupRows - 1) / GroupRows;
        bool sums = !weightGradient.IsEmpty || !biasGradient.IsEmpty;
        float* partials = null;
        if (sums)
        {
            long needed = 2L * groups * features;
            if (t_partialFloats < needed)
            {
                NativeMemory.AlignedFree(t_partials);
                t_partials = (float*)NativeMemory.AlignedAlloc((nuint)(needed * sizeof(float)), 64);
                t_partialFloats = needed;
            }
            partials = t_partials;
            new Span<float>(partials, (int)needed).Clear();
        }
        fixed (float* px = x, pw = weight, pg = outputGradient, pdx = inputGradient, pdw = weightGradient, pdb = biasGradient)
        {
            var job = new Job
            {
                X = px, Weight = pw, Y = pg, InputGradient = inputGradient.IsEmpty ? null : pdx,
                Partials = partials, WantWeight = !weightGradient.IsEmpty, WantBias = !biasGradient.IsEmpty, OverwriteInput = overwriteInputGradient,
                Rows = rows, Features = features, Epsilon = epsilon,
            };
            Run(&BackwardGroups, &job);
            if (!sums) return;
            // The groups' partial sums, in group order.
            for (int group = 0; group < groups; group++)
            {
                float* dw = partials + 2L * group * features, db = dw + features;
                if (job.WantWeight) Add(pdw, dw, features);
                if (job.WantBias) Add(pdb, db, features);
            }
        }
    }

    private struct Job
    {
        public float* X, Weight, Bias, Y, InputGradient, Partials;
        public bool WantWeight, WantBias, OverwriteInput;
        public int Rows, Features;
        public float Epsilon;
    }

    private static void Run(delegate*<Job*, int, int, void> body, Job* job)
    {
        int groups = (job->Rows + GroupRows - 1) / GroupRows;
        int parts = (long)job->Rows * job->Features < ParallelValues ? 1 : Math.Min(KernelThreads.Parts, groups);
        if (parts <= 1 || !KernelThreads.TryRun(body, job, groups, 1, parts)) body(job, 0, groups);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardGroups(Job* job, int first, int end)
    {
        int f = job->Features;
        float* means = stackalloc float[GroupRows], rstds = stackalloc float[GroupRows];
        for (int group = first; group < end; group++)
        {
            int r0 = group * GroupRows, count = Math.Min(job->Rows - r0, GroupRows);
            Statistics(job->X + (long)r0 * f, count, f, job->Epsilon, means, rstds);
            for (int i = 0; i < count; i++)
            {
                float* x = job->X + (long)(r0 + i) * f, y = job->Y + (long)(r0 + i) * f;
                float mean = means[i], rstd = rstds[i];
                var m = Vector256.Create(mean);
                var s = Vector256.Create(rstd);
                int k = 0;
                for (; k + 8 <= f; k += 8)
                    Vector256.FusedMultiplyAdd((Vector256.Load(x + k) - m) * s, Vector256.Load(job->Weight + k), Vector256.Load(job->Bias + k)).Store(y + k);
                for (; k < f; k++) y[k] = MathF.FusedMultiplyAdd((x[k] - mean) * rstd, job->Weight[k], job->Bias[k]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardGroups(Job* job, int first, int end)
    {
        int f = job->Features;
        float* means = stackalloc float[GroupRows], rstds = stackalloc float[GroupRows];
        float* meanH = stackalloc float[4], meanHX = stackalloc float[4];
        for (int group = first; group < end; group++)
        {
            float* dw = job->Partials + 2L * group * f, db = dw + f;
            int r0 = group * GroupRows, count = Math.Min(job->Rows - r0, GroupRows);
            Statistics(job->X + (long)r0 * f, count, f, job->Epsilon, means, rstds);
            for (int i = 0; i < count; i += 4)
            {
                int together = Math.Min(4, count - i);
                long offset = (long)(r0 + i) * f;
                if (together == 4) SumsOfFour(job, job->X + offset, job->Y + offset, means + i, rstds + i, dw, db, meanH, meanHX);
                else
                    for (int j = 0; j < together; j++)
                        (meanH[j], meanHX[j]) = Sums(job, job->X + offset + (long)j * f, job->Y + offset + (long)j * f, means[i + j], rstds[i + j], dw, db);
                if (job->InputGradient == null) continue;
                for (int j = 0; j < together; j++)
                    InputGradientRow(job, offset + (long)j * f, means[i + j], rstds[i + j], meanH[j], meanHX[j]);
            }
        }
    }

    // Σ h and Σ h x̂ over one row (h = g · weight), as means, adding the row's terms to the group's
    // weight and bias gradients on the way.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float MeanH, float MeanHX) Sums(Job* job, float* x, float* g, float mean, float rstd, float* dw, float* db)
    {
        int f = job->Features;
        float* w = job->Weight;
        var m = Vector256.Create(mean);
        var s = Vector256.Create(rstd);
        var sumH = Vector256<float>.Zero;
        var sumHX = Vector256<float>.Zero;
        int k = 0;
        for (; k + 8 <= f; k += 8)
        {
            var n = (Vector256.Load(x + k) - m) * s;
            var gk = Vector256.Load(g + k);
            var h = gk * Vector256.Load(w + k);
            sumH += h;
            sumHX = Vector256.FusedMultiplyAdd(h, n, sumHX);
            if (job->WantWeight) Vector256.FusedMultiplyAdd(gk, n, Vector256.Load(dw + k)).Store(dw + k);
            if (job->WantBias) (Vector256.Load(db + k) + gk).Store(db + k);
        }
        float tailH = 0f, tailHX = 0f;
        for (; k < f; k++)
        {
            float n = (x[k] - mean) * rstd, h = g[k] * w[k];
            tailH += h;
            tailHX = MathF.FusedMultiplyAdd(h, n, tailHX);
            if (job->WantWeight) dw[k] = MathF.FusedMultiplyAdd(g[k], n, dw[k]);
            if (job->WantBias) db[k] += g[k];
        }
        float inverse = 1f / f;
        return ((Vector256.Sum(sumH) + tailH) * inverse, (Vector256.Sum(sumHX) + tailHX) * inverse);
    }

    // Sums for four consecutive rows side by side (their chains of adds run at once), each row with
    // the operations it takes alone and adding to the weight and bias gradients in row order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumsOfFour(Job* job, float* x0, float* g0, float* means, float* rstds, float* dw, float* db, float* meanH, float* meanHX)
    {
        int f = job->Features;
        float* w = job->Weight;
        float* x1 = x0 + f, x2 = x1 + f, x3 = x2 + f, g1 = g0 + f, g2 = g1 + f, g3 = g2 + f;
        Vector256<float> m0 = Vector256.Create(means[0]), m1 = Vector256.Create(means[1]), m2 = Vector256.Create(means[2]), m3 = Vector256.Create(means[3]);
        Vector256<float> s0 = Vector256.Create(rstds[0]), s1 = Vector256.Create(rstds[1]), s2 = Vector256.Create(rstds[2]), s3 = Vector256.Create(rstds[3]);
        Vector256<float> h0 = default, h1 = default, h2 = default, h3 = default, hx0 = default, hx1 = default, hx2 = default, hx3 = default;
        bool wantWeight = job->WantWeight, wantBias = job->WantBias;
        int k = 0;
        for (; k + 8 <= f; k += 8)
        {
            var wk = Vector256.Load(w + k);
            var n0 = (Vector256.Load(x0 + k) - m0) * s0;
            var n1 = (Vector256.Load(x1 + k) - m1) * s1;
            var n2 = (Vector256.Load(x2 + k) - m2) * s2;
            var n3 = (Vector256.Load(x3 + k) - m3) * s3;
            Vector256<float> gk0 = Vector256.Load(g0 + k), gk1 = Vector256.Load(g1 + k), gk2 = Vector256.Load(g2 + k), gk3 = Vector256.Load(g3 + k);
            Vector256<float> e0 = gk0 * wk, e1 = gk1 * wk, e2 = gk2 * wk, e3 = gk3 * wk;
            h0 += e0; h1 += e1; h2 += e2; h3 += e3;
            hx0 = Vector256.FusedMultiplyAdd(e0, n0, hx0);
            hx1 = Vector256.FusedMultiplyAdd(e1, n1, hx1);
            hx2 = Vector256.FusedMultiplyAdd(e2, n2, hx2);
            hx3 = Vector256.FusedMultiplyAdd(e3, n3, hx3);
            if (wantWeight)
            {
                var d = Vector256.FusedMultiplyAdd(gk0, n0, Vector256.Load(dw + k));
                d = Vector256.FusedMultiplyAdd(gk1, n1, d);
                d = Vector256.FusedMultiplyAdd(gk2, n2, d);
                Vector256.FusedMultiplyAdd(gk3, n3, d).Store(dw + k);
            }
            if (wantBias) (Vector256.Load(db + k) + gk0 + gk1 + gk2 + gk3).Store(db + k);
        }
        float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f, tx0 = 0f, tx1 = 0f, tx2 = 0f, tx3 = 0f;
        for (; k < f; k++)
        {
            float n0 = (x0[k] - means[0]) * rstds[0], n1 = (x1[k] - means[1]) * rstds[1];
            float n2 = (x2[k] - means[2]) * rstds[2], n3 = (x3[k] - means[3]) * rstds[3];
            float e0 = g0[k] * w[k], e1 = g1[k] * w[k], e2 = g2[k] * w[k], e3 = g3[k] * w[k];
            t0 += e0; t1 += e1; t2 += e2; t3 += e3;
            tx0 = MathF.FusedMultiplyAdd(e0, n0, tx0);
            tx1 = MathF.FusedMultiplyAdd(e1, n1, tx1);
            tx2 = MathF.FusedMultiplyAdd(e2, n2, tx2);
            tx3 = MathF.FusedMultiplyAdd(e3, n3, tx3);
            if (wantWeight)
                dw[k] = MathF.FusedMultiplyAdd(g3[k], n3, MathF.FusedMultiplyAdd(g2[k], n2, MathF.FusedMultiplyAdd(g1[k], n1, MathF.FusedMultiplyAdd(g0[k], n0, dw[k]))));
            if (wantBias) db[k] = db[k] + g0[k] + g1[k] + g2[k] + g3[k];
        }
        float inverse = 1f / f;
        meanH[0] = (Vector256.Sum(h0) + t0) * inverse; meanHX[0] = (Vector256.Sum(hx0) + tx0) * inverse;
        meanH[1] = (Vector256.Sum(h1) + t1) * inverse; meanHX[1] = (Vector256.Sum(hx1) + tx1) * inverse;
        meanH[2] = (Vector256.Sum(h2) + t2) * inverse; meanHX[2] = (Vector256.Sum(hx2) + tx2) * inverse;
        meanH[3] = (Vector256.Sum(h3) + t3) * inverse; meanHX[3] = (Vector256.Sum(hx3) + tx3) * inverse;
    }

    // dx += rstd (h - mean(h) - x̂ mean(h x̂)) for one row, onto zeros when overwriting.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradientRow(Job* job, long offset, float mean, float rstd, float meanH, float meanHX)
    {
        int f = job->Features;
        float* x = job->X + offset, g = job->Y + offset, dx = job->InputGradient + offset, w = job->Weight;
        var m = Vector256.Create(mean);
        var s = Vector256.Create(rstd);
        var mh = Vector256.Create(meanH);
        var mhx = Vector256.Create(meanHX);
        bool overwrite = job->OverwriteInput;
        int k = 0;
        for (; k + 8 <= f; k += 8)
        {
            var n = (Vector256.Load(x + k) - m) * s;
            var h = Vector256.Load(g + k) * Vector256.Load(w + k);
            var previous = overwrite ? Vector256<float>.Zero : Vector256.Load(dx + k);
            Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(-n, mhx, h - mh), s, previous).Store(dx + k);
        }
        for (; k < f; k++)
        {
            float n = (x[k] - mean) * rstd, h = g[k] * w[k];
            dx[k] = MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(-n, meanHX, h - meanH), rstd, overwrite ? 0f : dx[k]);
        }
    }

    // Each row's mean and 1 / √(var + eps) for rows consecutive rows of x: four rows side by side,
    // which runs four rows' chains of dependent adds at once (a row of 64 features is two chains of
    // eight vectors, each add waiting on the one before), each row with the operations it takes alone.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Statistics(float* x, int rows, int f, float epsilon, float* means, float* rstds)
    {
        int i = 0;
        for (; i + 4 <= rows; i += 4) StatisticsOfFour(x + (long)i * f, f, epsilon, means + i, rstds + i);
        for (; i < rows; i++) (means[i], rstds[i]) = Statistics(x + (long)i * f, f, epsilon);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StatisticsOfFour(float* x0, int f, float epsilon, float* means, float* rstds)
    {
        float* x1 = x0 + f, x2 = x1 + f, x3 = x2 + f;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int k = 0;
        for (; k + 8 <= f; k += 8)
        {
            s0 += Vector256.Load(x0 + k);
            s1 += Vector256.Load(x1 + k);
            s2 += Vector256.Load(x2 + k);
            s3 += Vector256.Load(x3 + k);
        }
        float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f;
        for (int j = k; j < f; j++)
        {
            t0 += x0[j];
            t1 += x1[j];
            t2 += x2[j];
            t3 += x3[j];
        }
        float m0 = (Vector256.Sum(s0) + t0) / f, m1 = (Vector256.Sum(s1) + t1) / f;
        float m2 = (Vector256.Sum(s2) + t2) / f, m3 = (Vector256.Sum(s3) + t3) / f;
        Vector256<float> mv0 = Vector256.Create(m0), mv1 = Vector256.Create(m1), mv2 = Vector256.Create(m2), mv3 = Vector256.Create(m3);
        s0 = s1 = s2 = s3 = default;
        for (k = 0; k + 8 <= f; k += 8)
        {
            var d0 = Vector256.Load(x0 + k) - mv0;
            var d1 = Vector256.Load(x1 + k) - mv1;
            var d2 = Vector256.Load(x2 + k) - mv2;
            var d3 = Vector256.Load(x3 + k) - mv3;
            s0 = Vector256.FusedMultiplyAdd(d0, d0, s0);
            s1 = Vector256.FusedMultiplyAdd(d1, d1, s1);
            s2 = Vector256.FusedMultiplyAdd(d2, d2, s2);
            s3 = Vector256.FusedMultiplyAdd(d3, d3, s3);
        }
        t0 = t1 = t2 = t3 = 0f;
        for (; k < f; k++)
        {
            float d0 = x0[k] - m0, d1 = x1[k] - m1, d2 = x2[k] - m2, d3 = x3[k] - m3;
            t0 = MathF.FusedMultiplyAdd(d0, d0, t0);
            t1 = MathF.FusedMultiplyAdd(d1, d1, t1);
            t2 = MathF.FusedMultiplyAdd(d2, d2, t2);
            t3 = MathF.FusedMultiplyAdd(d3, d3, t3);
        }
        means[0] = m0; means[1] = m1; means[2] = m2; means[3] = m3;
        rstds[0] = 1f / MathF.Sqrt((Vector256.Sum(s0) + t0) / f + epsilon);
        rstds[1] = 1f / MathF.Sqrt((Vector256.Sum(s1) + t1) / f + epsilon);
        rstds[2] = 1f / MathF.Sqrt((Vector256.Sum(s2) + t2) / f + epsilon);
        rstds[3] = 1f / MathF.Sqrt((Vector256.Sum(s3) + t3) / f + epsilon);
    }

    // The row's mean and 1 / √(var + eps), var from the centered values.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float Mean, float Rstd) Statistics(float* x, int f, float epsilon)
    {
        var sums = Vector256<float>.Zero;
        int k = 0;
        for (; k + 8 <= f; k += 8) sums += Vector256.Load(x + k);
        float tail = 0f;
        for (int j = k; j < f; j++) tail += x[j];
        float mean = (Vector256.Sum(sums) + tail) / f;
        var m = Vector256.Create(mean);
        var squares = Vector256<float>.Zero;
        for (k = 0; k + 8 <= f; k += 8)
        {
            var d = Vector256.Load(x + k) - m;
            squares = Vector256.FusedMultiplyAdd(d, d, squares);
        }
        tail = 0f;
        for (; k < f; k++)
        {
            float d = x[k] - mean;
            tail = MathF.FusedMultiplyAdd(d, d, tail);
        }
        return (mean, 1f / MathF.Sqrt((Vector256.Sum(squares) + tail) / f + epsilon));
    }

    private static void Add(float* total, float* part, int f)
    {
        int k = 0;
        for (; k + 8 <= f; k += 8) (Vector256.Load(total + k) + Vector256.Load(part + k)).Store(total + k);
        for (; k < f; k++) total[k] += part[k];
    }

    private static void Check(int x, int weight, int y, int rows, int features)
    {
        if (rows < 0 || features < 1) throw new ArgumentOutOfRangeException(nameof(features), "layernorm needs rows >= 0 and features >= 1");
        long size = (long)rows * features;
        if (x < size) throw new ArgumentException($"x has {x} values but [{rows}, {features}] needs {size}", nameof(x));
        if (y < size) throw new ArgumentException($"the output has {y} values but [{rows}, {features}] needs {size}", nameof(y));
        if (weight < features) throw new ArgumentException($"the weight has {weight} values but the rows {features}", nameof(weight));
    }
}
