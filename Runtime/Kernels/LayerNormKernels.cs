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
/// rather than storing them. Rows are independent, so both passes cut them across
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
        int rowEnd = Math.Min(job->Rows, end * GroupRows);
        for (int r = first * GroupRows; r < rowEnd; r++)
        {
            float* x = job->X + (long)r * f, y = job->Y + (long)r * f;
            var (mean, rstd) = Statistics(x, f, job->Epsilon);
            var m = Vector256.Create(mean);
            var s = Vector256.Create(rstd);
            int k = 0;
            for (; k + 8 <= f; k += 8)
                Vector256.FusedMultiplyAdd((Vector256.Load(x + k) - m) * s, Vector256.Load(job->Weight + k), Vector256.Load(job->Bias + k)).Store(y + k);
            for (; k < f; k++) y[k] = MathF.FusedMultiplyAdd((x[k] - mean) * rstd, job->Weight[k], job->Bias[k]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardGroups(Job* job, int first, int end)
    {
        int f = job->Features;
        float* w = job->Weight;
        float inverse = 1f / f;
        for (int group = first; group < end; group++)
        {
            float* dw = job->Partials + 2L * group * f, db = dw + f;
            int rowEnd = Math.Min(job->Rows, (group + 1) * GroupRows);
            for (int r = group * GroupRows; r < rowEnd; r++)
            {
                float* x = job->X + (long)r * f, g = job->Y + (long)r * f;
                var (mean, rstd) = Statistics(x, f, job->Epsilon);
                var m = Vector256.Create(mean);
                var s = Vector256.Create(rstd);
                // Σ h and Σ h x̂ with h = g · weight; the parameter gradients on the way.
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
                for (int j = k; j < f; j++)
                {
                    float n = (x[j] - mean) * rstd, h = g[j] * w[j];
                    tailH += h;
                    tailHX = MathF.FusedMultiplyAdd(h, n, tailHX);
                    if (job->WantWeight) dw[j] = MathF.FusedMultiplyAdd(g[j], n, dw[j]);
                    if (job->WantBias) db[j] += g[j];
                }
                if (job->InputGradient == null) continue;
                float meanH = (Vector256.Sum(sumH) + tailH) * inverse, meanHX = (Vector256.Sum(sumHX) + tailHX) * inverse;
                float* dx = job->InputGradient + (long)r * f;
                var mh = Vector256.Create(meanH);
                var mhx = Vector256.Create(meanHX);
                // dx += rstd (h - mean(h) - x̂ mean(h x̂)), onto zeros when overwriting
                bool overwrite = job->OverwriteInput;
                for (k = 0; k + 8 <= f; k += 8)
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
        }
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
