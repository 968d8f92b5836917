using System;
using System.Runtime.CompilerServices;
using ModelC.Runtime.Kernels;

namespace ModelC.Benchmarks;

/// <summary>
/// --elementwise: each elementwise, softmax and batchnorm kernel against the generated scalar loop
/// it replaced (written out here as the generator wrote it), on one kernel thread, by the calling
/// thread's CPU time: the best of 15 rounds of 100 calls after 300 warm-up calls.
/// </summary>
public static class ElementwiseTimer
{
    public static int Run()
    {
        KernelThreads.Parts = 1;
        var random = new Random(1);
        float[] Values(int n, double scale) { var v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float)((random.NextDouble() * 2 - 1) * scale); return v; }

        var x = Values(64 * 784, 4);
        var y = new float[x.Length];
        Compare("sigmoid [64, 784]", () => ScalarSigmoid(x, y), () => SigmoidTanhKernels.SigmoidForward(x, y));
        Compare("tanh [64, 784]", () => ScalarTanh(x, y), () => SigmoidTanhKernels.TanhForward(x, y));
        Compare("multiply [64, 784]", () => ScalarMultiply(x, x, y), () => ElementwiseKernels.Multiply(x, x, y));

        var logits = Values(64 * 1000, 4);
        var probabilities = new float[logits.Length];
        Compare("softmax [64, 1000]", () => ScalarSoftmax(logits, probabilities, 64, 1000), () => SoftmaxKernels.Forward(logits, probabilities, 64, 1000, log: false));
        Compare("softmax [64, 10]", () => ScalarSoftmax(logits, probabilities, 64, 10), () => SoftmaxKernels.Forward(logits, probabilities, 64, 10, log: false));

        const int batch = 64, channels = 16, inner = 14 * 14;
        var images = Values(batch * channels * inner, 1);
        var normalized = new float[images.Length];
        var weight = new float[channels];
        var bias = new float[channels];
        var mean = new float[channels];
        var variance = new float[channels];
        Array.Fill(weight, 1f);
        Array.Fill(variance, 1f);
        Compare("batchnorm training [64, 16, 14, 14]",
            () => ScalarBatchNorm(images, normalized, weight, bias, mean, variance, batch, channels, inner),
            () => BatchNormKernels.TrainingForward(images, weight, bias, mean, variance, normalized, batch, channels, inner, 1e-5f, 0.1f));
        return 0;
    }

    private static void Compare(string name, Action loop, Action kernel)
    {
        double before = Best(loop), after = Best(kernel);
        Console.WriteLine($"{name,-38} scalar loop {before,9:F1} us   kernel {after,8:F1} us   {before / after,5:F1}x");
    }

    private static double Best(Action call)
    {
        for (int i = 0; i < 300; i++) call();
        double best = double.MaxValue;
        for (int round = 0; round < 15; round++)
        {
            long start = ThreadCpu.Nanoseconds();
            for (int i = 0; i < 100; i++) call();
            best = Math.Min(best, (ThreadCpu.Nanoseconds() - start) / 100 / 1e3);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarSigmoid(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v >= 0f ? 1f / (1f + MathF.Exp(-v)) : MathF.Exp(v) / (1f + MathF.Exp(v));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarTanh(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarMultiply(float[] a, float[] b, float[] y)
    {
        for (int i = 0; i < a.Length; i++) y[i] = a[i] * b[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarSoftmax(float[] x, float[] y, int rows, int length)
    {
        for (int r = 0; r < rows; r++)
        {
            float max = float.NegativeInfinity;
            for (int k = 0; k < length; k++) max = MathF.Max(max, x[r * length + k]);
            float sum = 0f;
            for (int k = 0; k < length; k++)
            {
                float e = MathF.Exp(x[r * length + k] - max);
                y[r * length + k] = e;
                sum += e;
            }
            for (int k = 0; k < length; k++) y[r * length + k] /= sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarBatchNorm(float[] x, float[] y, float[] weight, float[] bias, float[] runningMean, float[] runningVar, int batch, int channels, int inner)
    {
        for (int ch = 0; ch < channels; ch++)
        {
            int count = batch * inner;
            float mean = 0f;
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < inner; i++) mean += x[(b * channels + ch) * inner + i];
            mean /= count;
            float variance = 0f;
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < inner; i++) { float d = x[(b * channels + ch) * inner + i] - mean; variance += d * d; }
            variance /= count;
            float rstd = 1f / MathF.Sqrt(variance + 1e-5f);
            float scale = rstd * weight[ch], shift = bias[ch] - mean * scale;
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < inner; i++) y[(b * channels + ch) * inner + i] = x[(b * channels + ch) * inner + i] * scale + shift;
            runningMean[ch] = 0.9f * runningMean[ch] + 0.1f * mean;
            runningVar[ch] = 0.9f * runningVar[ch] + 0.1f * variance * count / (count - 1);
        }
    }
}
