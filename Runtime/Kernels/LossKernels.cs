using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// cross_entropy over sequences of class scores (steps of [C] per example, a mean over the steps),
/// for generated code. Each row's maximum (an exact operation, in any order), exp(z - max) eight
/// lanes at a time with <see cref="SingleExp"/> (within 2 ulp; MathF.Exp one value at a time was
/// 0.5 ms of CharGpt's 2048 rows of 60), their sum (eight lane sums, then across the lanes) and
/// the row loss; the backward pass g (softmax - onehot) from the kept exps. Examples are
/// independent and shared across <see cref="KernelThreads"/>, and a row's operations do not depend
/// on which thread runs it, so the results never depend on the thread count.
/// </summary>
public static unsafe class LossKernels
{
    // Rows (steps · examples) below this stay on the calling thread: waking a worker costs more.
    private const int ParallelRows = 256;

    /// <summary>
    /// losses[b] = (Σ_r lse(z_br) - z_br[y_br]) / steps for every example b; saved[(b · steps + r) · (C + 1) ..]
    /// keeps exp(z - max) of each class and then their sum, for <see cref="CrossEntropyBackward"/>.
    /// </summary>
    public static void CrossEntropy(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, Span<float> saved, Span<float> losses, int batch, int steps, int classes)
    {
        Check(scores.Length, labels.Length, saved.Length, batch, steps, classes);
        if (losses.Length < batch) throw new ArgumentException($"'losses' has {losses.Length} values but the batch is {batch}", nameof(losses));
        fixed (float* z = scores, s = saved, l = losses)
        fixed (int* y = labels)
        {
            var job = new Job { Scores = z, Labels = y, Saved = s, Losses = l, Steps = steps, Classes = classes };
            Run(&ForwardExamples, &job, batch);
        }
    }

    /// <summary>
    /// scoresGradient[b, r, k] += (lossGradients[b] / steps) (saved exp / saved sum - [k = y_br]) from
    /// what <see cref="CrossEntropy"/> kept.
    /// </summary>
    public static void CrossEntropyBackward(ReadOnlySpan<float> saved, ReadOnlySpan<int> labels, ReadOnlySpan<float> lossGradients, Span<float> scoresGradient, int batch, int steps, int classes)
    {
        Check(scoresGradient.Length, labels.Length, saved.Length, batch, steps, classes);
        if (lossGradients.Length < batch) throw new ArgumentException($"'lossGradients' has {lossGradients.Length} values but the batch is {batch}", nameof(lossGradients));
        fixed (float* s = saved, g = lossGradients, dz = scoresGradient)
        fixed (int* y = labels)
        {
            var job = new Job { Scores = dz, Labels = y, Saved = s, Losses = g, Steps = steps, Classes = classes };
            Run(&BackwardExamples, &job, batch);
        }
    }

    private static void Check(int scores, int labels, int saved, int batch, int steps, int classes)
    {
        if (batch < 0 || steps < 1 || classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), "cross_entropy needs a batch >= 0 and positive sizes");
        long rows = (long)batch * steps;
        if (scores < rows * classes) throw new ArgumentException($"the scores have {scores} values but [{batch}, {steps}, {classes}] needs {rows * classes}", nameof(scores));
        if (labels < rows) throw new ArgumentException($"the labels have {labels} values but [{batch}, {steps}] needs {rows}", nameof(labels));
        if (saved < rows * (classes + 1)) throw new ArgumentException($"the kept exps have {saved} values but need {rows * (classes + 1)}", nameof(saved));
    }

    private struct Job
    {
        public float* Scores, Saved, Losses;
        public int* Labels;
        public int Steps, Classes;
    }

    private static void Run(delegate*<Job*, int, int, void> body, Job* job, int batch)
    {
        int parts = (long)batch * job->Steps < ParallelRows ? 1 : Math.Min(KernelThreads.Parts, batch);
        if (parts <= 1 || !KernelThreads.TryRun(body, job, batch, 1, parts)) body(job, 0, batch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardExamples(Job* job, int first, int end)
    {
        int steps = job->Steps, classes = job->Classes;
        float* scores = job->Scores, saved = job->Saved;
        int* labels = job->Labels;
        for (int b = first; b < end; b++)
        {
            float total = 0f;
            for (int r = 0; r < steps; r++)
            {
                long row = (long)b * steps + r;
                float* z = scores + row * classes, e = saved + row * (classes + 1);
                float max = Max(z, classes);
                float sum = 0f;
                int k = 0;
                if (Vector256.IsHardwareAccelerated && classes >= 8)
                {
                    var shift = Vector256.Create(max);
                    var sums = Vector256<float>.Zero;
                    for (; k + 8 <= classes; k += 8)
                    {
                        var exp = SingleExp.Exp(Vector256.Load(z + k) - shift);
                        exp.Store(e + k);
                        sums += exp;
                    }
                    sum = Vector256.Sum(sums);
                    if (k < classes)
                    {
                        // The last classes' exps from one vector over the row's last eight (the ones
                        // before them again, with the same bits), added one by one as the scalar loop would.
                        var tail = SingleExp.Exp(Vector256.Load(z + classes - 8) - shift);
                        tail.Store(e + classes - 8);
                        for (int lane = 8 - (classes - k); lane < 8; lane++) sum += tail.GetElement(lane);
                        k = classes;
                    }
                }
                for (; k < classes; k++)
                {
                    float exp = SingleExp.Exp(z[k] - max);
                    e[k] = exp;
                    sum += exp;
                }
                e[classes] = sum;
                total += max + MathF.Log(sum) - z[labels[row]];
            }
            job->Losses[b] = total / steps;
        }
    }

    // The row's maximum as MathF.Max gives it: Vector256.Max is the same IEEE maximum lane by lane, and a maximum does not depend on the order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Max(float* z, int classes)
    {
        float max = float.NegativeInfinity;
        int k = 0;
        if (Vector256.IsHardwareAccelerated && classes >= 8)
        {
            var maxima = Vector256.Create(float.NegativeInfinity);
            for (; k + 8 <= classes; k += 8) maxima = Vector256.Max(maxima, Vector256.Load(z + k));
            // The last ones within the row's last eight; those before them again change no maximum.
            if (k < classes) maxima = Vector256.Max(maxima, Vector256.Load(z + classes - 8));
            var halves = Vector128.Max(maxima.GetLower(), maxima.GetUpper());
            halves = Vector128.Max(halves, Vector128.Shuffle(halves, Vector128.Create(2, 3, 0, 1)));
            return Vector128.Max(halves, Vector128.Shuffle(halves, Vector128.Create(1, 0, 3, 2))).ToScalar();
        }
        for (; k < classes; k++) max = MathF.Max(max, z[k]);
        return max;
    }

    private static Vector256<int> Lanes => Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardExamples(Job* job, int first, int end)
    {
        int steps = job->Steps, classes = job->Classes;
        for (int b = first; b < end; b++)
        {
            float g = job->Losses[b] / steps;
            var gs = Vector256.Create(g);
            for (int r = 0; r < steps; r++)
            {
                long row = (long)b * steps + r;
                float* dz = job->Scores + row * classes, e = job->Saved + row * (classes + 1);
                int label = job->Labels[row];
                float sum = e[classes];
                var sums = Vector256.Create(sum);
                var labels = Vector256.Create(label);
                int k = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; k + 8 <= classes; k += 8)
                    {
                        var target = Vector256.ConditionalSelect(Vector256.Equals(Lanes + Vector256.Create(k), labels).AsSingle(), Vector256.Create(1f), Vector256<float>.Zero);
                        (Vector256.Load(dz + k) + gs * (Vector256.Load(e + k) / sums - target)).Store(dz + k);
                    }
                for (; k < classes; k++) dz[k] += g * (e[k] / sum - (k == label ? 1f : 0f));
            }
        }
    }
}
