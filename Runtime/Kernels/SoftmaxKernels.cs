using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// softmax and log_softmax over the last axis, row by row, in the stable form (shifted by the
/// row's maximum), and their backward passes. A row's maximum, exponentials (<see cref="SingleExp"/>,
/// whose vector and scalar forms give the same bits), sums and scaling run eight lanes at a time
/// (Vector256, accelerated on both vector paths), with a scalar tail for the values past the last
/// whole vector; each sum adds its eight lanes in a fixed order and then the tail. Rows are
/// independent, so long passes cut them across <see cref="KernelThreads"/> without changing a bit.
/// </summary>
public static unsafe class SoftmaxKernels
{
    // Below this many values a pass stays on the calling thread.
    private const int ParallelValues = 1 << 15;

    /// <summary>
    /// y = softmax(x) (or log_softmax(x) when <paramref name="log"/>) over each of the rows of
    /// <paramref name="length"/> values: e^(x - max) / Σ e^(x - max), or x - max - log Σ e^(x - max).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int length, bool log)
    {
        Check(x.Length, y.Length, rows, length, nameof(y));
        fixed (float* px = x, py = y)
        {
            var job = new Job { X = px, Y = py, Length = length, Log = log };
            Run(&ForwardRows, &job, rows);
        }
    }

    /// <summary>
    /// Adds the input's gradient given the output y and its gradient g: for softmax,
    /// gx += y (g - Σ g y); for log_softmax, gx += g - e^y Σ g.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int rows, int length, bool log)
    {
        Check(y.Length, outputGradient.Length, rows, length, nameof(outputGradient));
        Check(y.Length, inputGradient.Length, rows, length, nameof(inputGradient));
        fixed (float* py = y, pg = outputGradient, pgx = inputGradient)
        {
            var job = new Job { Y = py, G = pg, X = pgx, Length = length, Log = log };
            Run(&BackwardRows, &job, rows);
        }
    }

    private struct Job
    {
        // Forward: X in, Y out. Backward: Y and G in, X the input gradient added to.
        public float* X, Y, G;
        public int Length;
        public bool Log;
    }

    private static void Check(int inLength, int outLength, int rows, int length, string output)
    {
        if (rows < 0 || length <= 0) throw new ArgumentOutOfRangeException(rows < 0 ? nameof(rows) : nameof(length), "rows must be >= 0 and the length > 0");
        long needed = (long)rows * length;
        if (inLength < needed) throw new ArgumentException($"the input has {inLength} values but [{rows}, {length}] needs {needed}");
        if (outLength < needed) throw new ArgumentException($"'{output}' has {outLength} values but [{rows}, {length}] needs {needed}", output);
    }

    private static void Run(delegate*<Job*, int, int, void> body, Job* job, int rows)
    {
        int parts = (long)rows * job->Length < ParallelValues ? 1 : Math.Min(KernelThreads.Parts, rows);
        if (parts <= 1 || !KernelThreads.TryRun(body, job, rows, 1, parts)) body(job, 0, rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRows(Job* job, int first, int end)
    {
        int n = job->Length;
        for (int r = first; r < end; r++)
        {
            float* x = job->X + (long)r * n, y = job->Y + (long)r * n;
            float max = Max(x, n);
            float sum = ExpSum(x, max, job->Log ? null : y, n);
            if (job->Log) Subtract(x, max + MathF.Log(sum), y, n);
            else Divide(y, sum, n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRows(Job* job, int first, int end)
    {
        int n = job->Length;
        for (int r = first; r < end; r++)
        {
            float* y = job->Y + (long)r * n, g = job->G + (long)r * n, gx = job->X + (long)r * n;
            if (job->Log) LogSoftmaxGradient(y, g, Sum(g, n), gx, n);
            else SoftmaxGradient(y, g, Dot(g, y, n), gx, n);
        }
    }

    // The row's maximum; NaN anywhere makes it NaN (as torch's), and so the whole row.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Max(float* x, int n)
    {
        float max = float.NegativeInfinity;
        int k = 0;
        if (n >= 8)
        {
            var m = Vector256.Load(x);
            for (k = 8; k + 8 <= n; k += 8) m = Vector256.Max(m, Vector256.Load(x + k));
            for (int lane = 0; lane < 8; lane++) max = MathF.Max(max, m.GetElement(lane));
        }
        for (; k < n; k++) max = MathF.Max(max, x[k]);
        return max;
    }

    // Σ e^(x - max), each exponential stored into e unless e is null.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ExpSum(float* x, float max, float* e, int n)
    {
        var shift = Vector256.Create(max);
        var sums = Vector256<float>.Zero;
        int k = 0;
        for (; k + 8 <= n; k += 8)
        {
            var v = SingleExp.Exp(Vector256.Load(x + k) - shift);
            if (e != null) v.Store(e + k);
            sums += v;
        }
        float sum = Horizontal(sums);
        for (; k < n; k++)
        {
            float v = SingleExp.Exp(x[k] - max);
            if (e != null) e[k] = v;
            sum += v;
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Divide(float* y, float sum, int n)
    {
        var s = Vector256.Create(sum);
        int k = 0;
        for (; k + 8 <= n; k += 8) (Vector256.Load(y + k) / s).Store(y + k);
        for (; k < n; k++) y[k] /= sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Subtract(float* x, float shift, float* y, int n)
    {
        var s = Vector256.Create(shift);
        int k = 0;
        for (; k + 8 <= n; k += 8) (Vector256.Load(x + k) - s).Store(y + k);
        for (; k < n; k++) y[k] = x[k] - shift;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum(float* g, int n)
    {
        var sums = Vector256<float>.Zero;
        int k = 0;
        for (; k + 8 <= n; k += 8) sums += Vector256.Load(g + k);
        float sum = Horizontal(sums);
        for (; k < n; k++) sum += g[k];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* g, float* y, int n)
    {
        var sums = Vector256<float>.Zero;
        int k = 0;
        for (; k + 8 <= n; k += 8) sums += Vector256.Load(g + k) * Vector256.Load(y + k);
        float sum = Horizontal(sums);
        for (; k < n; k++) sum += g[k] * y[k];
        return sum;
    }

    // gx += y (g - dot): the product rounded, then the sum (no fused multiply-add).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SoftmaxGradient(float* y, float* g, float dot, float* gx, int n)
    {
        var d = Vector256.Create(dot);
        int k = 0;
        for (; k + 8 <= n; k += 8) (Vector256.Load(gx + k) + Vector256.Load(y + k) * (Vector256.Load(g + k) - d)).Store(gx + k);
        for (; k < n; k++) gx[k] += y[k] * (g[k] - dot);
    }

    // gx += g - e^y sum, where e^y is the softmax the log_softmax output y stands for.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LogSoftmaxGradient(float* y, float* g, float sum, float* gx, int n)
    {
        var s = Vector256.Create(sum);
        int k = 0;
        for (; k + 8 <= n; k += 8)
            (Vector256.Load(gx + k) + (Vector256.Load(g + k) - SingleExp.Exp(Vector256.Load(y + k)) * s)).Store(gx + k);
        for (; k < n; k++) gx[k] += g[k] - SingleExp.Exp(y[k]) * sum;
    }

    // The eight lanes added pairwise in a fixed order: ((0+4)+(2+6))+((1+5)+(3+7)).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Horizontal(Vector256<float> v)
    {
        var quad = v.GetLower() + v.GetUpper();
        var pair = quad + Vector128.Shuffle(quad, Vector128.Create(2, 3, 0, 1));
        return pair.ToScalar() + pair.GetElement(1);
    }
}
