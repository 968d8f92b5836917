using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Batch normalization of a batch laid out [batch, channels, inner] (inner = H·W for an image, 1
/// for a vector of features), as torch.nn.BatchNorm1d/2d: training normalizes each channel with
/// the mean and biased variance of its batch · inner values and moves the running statistics
/// towards them (the variance unbiased); inference normalizes with the running statistics.
/// </summary>
/// <remarks>
/// Eight lanes at a time (Vector256, accelerated on both vector paths). For images each example's
/// run of a channel fills the lanes, each sum's lanes added in a fixed order after the scalar
/// tails' sum; for vectors of features (inner 1) eight neighbouring channels fill them and every
/// sum runs over the batch in order, as the scalar loop does (the channels past the last group of
/// eight take the run path). Channels are cut across <see cref="KernelThreads"/> in groups of
/// eight, so every channel is summed the same way at any thread count.
/// </remarks>
public static unsafe class BatchNormKernels
{
    // Below this many values a pass stays on the calling thread.
    private const int ParallelValues = 1 << 15;
    private const int Lanes = 8;

    /// <summary>
    /// Training forward: y = (x - mean) / √(var + eps) · weight + bias with each channel's batch
    /// statistics, and runningMean, runningVar moved towards the batch's mean and unbiased
    /// variance: r = (1 - momentum) r + momentum · statistic.
    /// </summary>
    public static void TrainingForward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> runningMean, Span<float> runningVar,
        Span<float> y, int batch, int channels, int inner, float epsilon, float momentum)
    {
        Check(x.Length, y.Length, weight.Length, bias.Length, runningMean.Length, runningVar.Length, batch, channels, inner);
        fixed (float* px = x, pw = weight, pb = bias, pm = runningMean, pv = runningVar, py = y)
        {
            var job = new Job { X = px, Weight = pw, Bias = pb, RunningMean = pm, RunningVar = pv, Y = py, Batch = batch, Channels = channels, Inner = inner, Epsilon = epsilon, Momentum = momentum, Training = true };
            Run(&ForwardChannels, &job);
        }
    }

    /// <summary>Inference forward: y = (x - runningMean) / √(runningVar + eps) · weight + bias per channel.</summary>
    public static void InferenceForward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVar,
        Span<float> y, int batch, int channels, int inner, float epsilon)
    {
        Check(x.Length, y.Length, weight.Length, bias.Length, runningMean.Length, runningVar.Length, batch, channels, inner);
        fixed (float* px = x, pw = weight, pb = bias, pm = runningMean, pv = runningVar, py = y)
        {
            var job = new Job { X = px, Weight = pw, Bias = pb, RunningMean = pm, RunningVar = pv, Y = py, Batch = batch, Channels = channels, Inner = inner, Epsilon = epsilon };
            Run(&ForwardChannels, &job);
        }
    }

    /// <summary>
    /// Adds the gradients of x, weight and bias (each skipped when its span is empty) after a
    /// training forward, recomputing the batch statistics from x: with n the normalized value,
    /// dweight = Σ g n, dbias = Σ g, dx = weight · rstd · (g - mean(g) - n mean(g n)).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient, Span<float> weightGradient, Span<float> biasGradient, int batch, int channels, int inner, float epsilon)
    {
        Check(x.Length, outputGradient.Length, weight.Length, weight.Length, channels, channels, batch, channels, inner, nameof(outputGradient));
        long values = (long)batch * channels * inner;
        if (!inputGradient.IsEmpty && inputGradient.Length < values) throw new ArgumentException($"the input gradient has {inputGradient.Length} values but [{batch}, {channels}, {inner}] needs {values}", nameof(inputGradient));
        if (!weightGradient.IsEmpty && weightGradient.Length < channels) throw new ArgumentException($"the weight gradient has {weightGradient.Length} values but there are {channels} channels", nameof(weightGradient));
        if (!biasGradient.IsEmpty && biasGradient.Length < channels) throw new ArgumentException($"the bias gradient has {biasGradient.Length} values but there are {channels} channels", nameof(biasGradient));
        fixed (float* px = x, pw = weight, pg = outputGradient, pdx = inputGradient, pdw = weightGradient, pdb = biasGradient)
        {
            var job = new Job
            {
                X = px, Weight = pw, Y = pg, InputGradient = inputGradient.IsEmpty ? null : pdx,
                WeightGradient = weightGradient.IsEmpty ? null : pdw, BiasGradient = biasGradient.IsEmpty ? null : pdb,
                Batch = batch, Channels = channels, Inner = inner, Epsilon = epsilon,
            };
            Run(&BackwardChannels, &job);
        }
    }

    private struct Job
    {
        // Forward: X in, Y out. Backward: X and Y (the output's gradient) in.
        public float* X, Weight, Bias, RunningMean, RunningVar, Y, InputGradient, WeightGradient, BiasGradient;
        public int Batch, Channels, Inner;
        public float Epsilon, Momentum;
        public bool Training;
    }

    // The per-channel numbers of a group of channels: lane l is channel first + l.
    private struct Group
    {
        public fixed float Mean[Lanes];
        public fixed float Variance[Lanes];
        public fixed float Rstd[Lanes];
        public fixed float Scale[Lanes];
        public fixed float Shift[Lanes];
        public fixed float SumG[Lanes];
        public fixed float SumGN[Lanes];
    }

    private static void Check(int xLength, int yLength, int weightLength, int biasLength, int meanLength, int varLength, int batch, int channels, int inner, string y = "y")
    {
        if (batch < 0 || channels <= 0 || inner <= 0)
            throw new ArgumentOutOfRangeException(batch < 0 ? nameof(batch) : channels <= 0 ? nameof(channels) : nameof(inner), "the channels and inner size must be > 0, the batch >= 0");
        long needed = (long)batch * channels * inner;
        if (xLength < needed) throw new ArgumentException($"x has {xLength} values but [{batch}, {channels}, {inner}] needs {needed}", "x");
        if (yLength < needed) throw new ArgumentException($"'{y}' has {yLength} values but [{batch}, {channels}, {inner}] needs {needed}", y);
        if (Math.Min(Math.Min(weightLength, biasLength), Math.Min(meanLength, varLength)) < channels)
            throw new ArgumentException($"the weight, bias and running statistics need {channels} values each, one per channel", "weight");
    }

    private static void Run(delegate*<Job*, int, int, void> body, Job* job)
    {
        int groups = (job->Channels + Lanes - 1) / Lanes;
        int parts = (long)job->Batch * job->Channels * job->Inner < ParallelValues ? 1 : Math.Min(KernelThreads.Parts, groups);
        if (parts <= 1 || !KernelThreads.TryRun(body, job, job->Channels, Lanes, parts)) body(job, 0, job->Channels);
    }

    // Channels first .. first + 8 go in the lanes when each example holds one value of each.
    private static bool InLanes(Job* job, int first) => job->Inner == 1 && first + Lanes <= job->Channels;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardChannels(Job* job, int first, int end)
    {
        Group group;
        for (int ch = first; ch < end;)
        {
            int width = InLanes(job, ch) ? Lanes : 1;
            if (job->Training)
            {
                Statistics(job, ch, width, &group);
                UpdateRunningStatistics(job, ch, width, &group);
            }
            else
                for (int l = 0; l < width; l++)
                {
                    group.Mean[l] = job->RunningMean[ch + l];
                    group.Rstd[l] = 1f / MathF.Sqrt(job->RunningVar[ch + l] + job->Epsilon);
                }
            for (int l = 0; l < width; l++)
            {
                float scale = group.Rstd[l] * job->Weight[ch + l];
                group.Scale[l] = scale;
                group.Shift[l] = job->Bias[ch + l] - group.Mean[l] * scale;
            }
            if (width == Lanes) NormalizeLanes(job, ch, &group);
            else NormalizeRun(job, ch, group.Scale[0], group.Shift[0]);
            ch += width;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardChannels(Job* job, int first, int end)
    {
        Group group;
        float count = job->Batch * job->Inner;
        for (int ch = first; ch < end;)
        {
            int width = InLanes(job, ch) ? Lanes : 1;
            Statistics(job, ch, width, &group);
            if (width == Lanes) GradientSumsLanes(job, ch, &group);
            else GradientSumsRun(job, ch, &group);
            for (int l = 0; l < width; l++)
            {
                if (job->WeightGradient != null) job->WeightGradient[ch + l] += group.SumGN[l];
                if (job->BiasGradient != null) job->BiasGradient[ch + l] += group.SumG[l];
                group.Scale[l] = job->Weight[ch + l] * group.Rstd[l];
                group.SumG[l] /= count;
                group.SumGN[l] /= count;
            }
            if (job->InputGradient != null)
            {
                if (width == Lanes) InputGradientLanes(job, ch, &group);
                else InputGradientRun(job, ch, &group);
            }
            ch += width;
        }
    }

    // The batch mean, biased variance and 1 / √(var + eps) of the group's channels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Statistics(Job* job, int ch, int width, Group* group)
    {
        float count = job->Batch * job->Inner;
        if (width == Lanes)
        {
            long stride = job->Channels;
            var sum = Vector256<float>.Zero;
            for (int e = 0; e < job->Batch; e++) sum += Vector256.Load(job->X + e * stride + ch);
            var mean = sum / Vector256.Create(count);
            var squares = Vector256<float>.Zero;
            for (int e = 0; e < job->Batch; e++)
            {
                var d = Vector256.Load(job->X + e * stride + ch) - mean;
                squares += d * d;
            }
            var variance = squares / Vector256.Create(count);
            mean.Store(group->Mean);
            variance.Store(group->Variance);
        }
        else
        {
            float mean = RunSum(job, ch, 0f, squared: false) / count;
            group->Mean[0] = mean;
            group->Variance[0] = RunSum(job, ch, mean, squared: true) / count;
        }
        for (int l = 0; l < width; l++) group->Rstd[l] = 1f / MathF.Sqrt(group->Variance[l] + job->Epsilon);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateRunningStatistics(Job* job, int ch, int width, Group* group)
    {
        int count = job->Batch * job->Inner;
        float keep = 1f - job->Momentum;
        for (int l = 0; l < width; l++)
        {
            float variance = group->Variance[l];
            // The running variance is the unbiased estimate, as PyTorch keeps it.
            job->RunningMean[ch + l] = keep * job->RunningMean[ch + l] + job->Momentum * group->Mean[l];
            job->RunningVar[ch + l] = keep * job->RunningVar[ch + l] + job->Momentum * variance * count / (count - 1);
        }
    }

    // Σ x, or Σ (x - center)², over channel ch's values in the batch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float RunSum(Job* job, int ch, float center, bool squared)
    {
        int inner = job->Inner;
        var c = Vector256.Create(center);
        var sums = Vector256<float>.Zero;
        float tail = 0f;
        for (int e = 0; e < job->Batch; e++)
        {
            float* run = job->X + ((long)e * job->Channels + ch) * inner;
            int i = 0;
            for (; i + 8 <= inner; i += 8)
            {
                var v = Vector256.Load(run + i);
                if (squared)
                {
                    var d = v - c;
                    sums += d * d;
                }
                else sums += v;
            }
            for (; i < inner; i++)
            {
                float d = run[i] - center;
                tail += squared ? d * d : run[i];
            }
        }
        return Horizontal(sums) + tail;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NormalizeRun(Job* job, int ch, float scale, float shift)
    {
        int inner = job->Inner;
        var s = Vector256.Create(scale);
        var t = Vector256.Create(shift);
        for (int e = 0; e < job->Batch; e++)
        {
            long at = ((long)e * job->Channels + ch) * inner;
            float* x = job->X + at, y = job->Y + at;
            int i = 0;
            for (; i + 8 <= inner; i += 8) (Vector256.Load(x + i) * s + t).Store(y + i);
            for (; i < inner; i++) y[i] = x[i] * scale + shift;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NormalizeLanes(Job* job, int ch, Group* group)
    {
        var s = Vector256.Load(group->Scale);
        var t = Vector256.Load(group->Shift);
        long stride = job->Channels;
        for (int e = 0; e < job->Batch; e++)
            (Vector256.Load(job->X + e * stride + ch) * s + t).Store(job->Y + e * stride + ch);
    }

    // Σ g and Σ g (x - mean) rstd over channel ch's values.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientSumsRun(Job* job, int ch, Group* group)
    {
        int inner = job->Inner;
        float mean = group->Mean[0], rstd = group->Rstd[0];
        var m = Vector256.Create(mean);
        var r = Vector256.Create(rstd);
        var sumG = Vector256<float>.Zero;
        var sumGN = Vector256<float>.Zero;
        float tailG = 0f, tailGN = 0f;
        for (int e = 0; e < job->Batch; e++)
        {
            long at = ((long)e * job->Channels + ch) * inner;
            float* x = job->X + at, g = job->Y + at;
            int i = 0;
            for (; i + 8 <= inner; i += 8)
            {
                var gi = Vector256.Load(g + i);
                sumG += gi;
                sumGN += gi * (Vector256.Load(x + i) - m) * r;
            }
            for (; i < inner; i++)
            {
                tailG += g[i];
                tailGN += g[i] * (x[i] - mean) * rstd;
            }
        }
        group->SumG[0] = Horizontal(sumG) + tailG;
        group->SumGN[0] = Horizontal(sumGN) + tailGN;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientSumsLanes(Job* job, int ch, Group* group)
    {
        var m = Vector256.Load(group->Mean);
        var r = Vector256.Load(group->Rstd);
        var sumG = Vector256<float>.Zero;
        var sumGN = Vector256<float>.Zero;
        long stride = job->Channels;
        for (int e = 0; e < job->Batch; e++)
        {
            var g = Vector256.Load(job->Y + e * stride + ch);
            sumG += g;
            sumGN += g * (Vector256.Load(job->X + e * stride + ch) - m) * r;
        }
        sumG.Store(group->SumG);
        sumGN.Store(group->SumGN);
    }

    // dx += scale (g - mean(g) - (x - mean) rstd mean(g n)), with SumG and SumGN already the means.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientRun(Job* job, int ch, Group* group)
    {
        int inner = job->Inner;
        float scale = group->Scale[0], meanG = group->SumG[0], meanGN = group->SumGN[0], mean = group->Mean[0], rstd = group->Rstd[0];
        var s = Vector256.Create(scale);
        var mg = Vector256.Create(meanG);
        var mgn = Vector256.Create(meanGN);
        var m = Vector256.Create(mean);
        var r = Vector256.Create(rstd);
        for (int e = 0; e < job->Batch; e++)
        {
            long at = ((long)e * job->Channels + ch) * inner;
            float* x = job->X + at, g = job->Y + at, dx = job->InputGradient + at;
            int i = 0;
            for (; i + 8 <= inner; i += 8)
                (Vector256.Load(dx + i) + s * (Vector256.Load(g + i) - mg - (Vector256.Load(x + i) - m) * r * mgn)).Store(dx + i);
            for (; i < inner; i++) dx[i] += scale * (g[i] - meanG - (x[i] - mean) * rstd * meanGN);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradientLanes(Job* job, int ch, Group* group)
    {
        var s = Vector256.Load(group->Scale);
        var mg = Vector256.Load(group->SumG);
        var mgn = Vector256.Load(group->SumGN);
        var m = Vector256.Load(group->Mean);
        var r = Vector256.Load(group->Rstd);
        long stride = job->Channels;
        for (int e = 0; e < job->Batch; e++)
        {
            long at = e * stride + ch;
            (Vector256.Load(job->InputGradient + at) + s * (Vector256.Load(job->Y + at) - mg - (Vector256.Load(job->X + at) - m) * r * mgn)).Store(job->InputGradient + at);
        }
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
