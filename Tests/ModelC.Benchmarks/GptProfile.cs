using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;

namespace ModelC.Benchmarks;

/// <summary>
/// --gpt-profile [--one-thread] [--only TEXT]: where CharGpt's training step (batch 32) goes, op by op. Each op of
/// the generated step is replayed here with its shapes, on buffers as large as the model's
/// (so the caches see what the step sees), and timed alone as the best of many rounds; the real
/// TrainStep, ForwardBackward and ForwardTrain are timed beside them, so the sum of the parts can be
/// checked against the whole. Ops that occur several times in a step (two blocks, forward and
/// backward) are timed once and multiplied by their count.
/// </summary>
public static class GptProfile
{
    private const int Batch = 32, T = 64, E = 64, Heads = 4, Vocabulary = 60, Hidden = 256;
    private const int Rows = Batch * T;

    private static string? s_only;

    public static int Run(string[] args)
    {
        int only = Array.IndexOf(args, "--only");
        if (only >= 0 && only + 1 < args.Length) s_only = args[only + 1];
        foreach (int parts in args.Contains("--one-thread") ? new[] { 1 } : new[] { 1, 2 })
        {
            KernelThreads.Parts = parts;
            Console.WriteLine($"kernel threads = {parts}, {KernelInfo.InstructionSet}");
            Profile();
        }
        return 0;
    }

    private static void Profile()
    {
        var random = new Random(7);
        var model = new ModelC.Samples.CharGpt.CharGpt(seed: 1);
        var text = Enumerable.Range(0, Rows).Select(_ => random.Next(Vocabulary)).ToArray();
        var next = Enumerable.Range(0, Rows).Select(_ => random.Next(Vocabulary)).ToArray();
        var logits = new float[Rows * Vocabulary];
        model.TrainStep(text, next);
        var rewinder = new Rewinder(model);

        var whole = new List<(string Name, double Wall, double Cpu)>();
        if (s_only is null)
        {
            whole.Add(Time("TrainStep", () => rewinder.AfterStep(model.TrainStep(text, next))));
            whole.Add(Time("  ForwardBackward", () => model.ForwardBackward(text, next)));
            whole.Add(Time("  ForwardTrain", () => model.ForwardTrain(text, logits)));
        }

        float[] x = Values(random, Rows * E), x2 = Values(random, Rows * E), y = new float[Rows * E];
        float[] wide = Values(random, Rows * Hidden), wide2 = new float[Rows * Hidden], geluDerivative = new float[Rows * Hidden];
        float[] projected = Values(random, Rows * 3 * E), projectedGradient = new float[Rows * 3 * E];
        float[] attention = new float[Batch * AttentionKernels.WeightsSize(T, Heads)];
        float[] weight = Values(random, Hidden * E), weightGradient = new float[Hidden * E];
        float[] bias = Values(random, Hidden), biasGradient = new float[Hidden];
        float[] gamma = Values(random, E), beta = Values(random, E), gammaGradient = new float[E], betaGradient = new float[E];
        float[] table = Values(random, Vocabulary * E), tableGradient = new float[Vocabulary * E], pos = Values(random, T * E), posGradient = new float[T * E];
        float[] scores = Values(random, Rows * Vocabulary), scoreGradient = new float[Rows * Vocabulary], exps = new float[Rows * (Vocabulary + 1)], losses = new float[Batch];
        float[] parameters = Values(random, ModelC.Samples.CharGpt.CharGpt.ParameterCount), gradients = Values(random, ModelC.Samples.CharGpt.CharGpt.ParameterCount);
        // What the step's clear writes: every parameter gradient and the few activation gradients that are added to rather than written first.
        float[] activationGradients = new float[3841 * Batch];
        AttentionKernels.Forward(projected, attention, y, Batch, T, Heads, E / Heads, causal: true);

        var parts = new List<(string Name, int Count, double Wall, double Cpu)>();
        void Part(string name, int count, Action action)
        {
            // --only: the parts whose names contain the text, e.g. to profile one kernel under perf.
            if (s_only is not null && !name.Contains(s_only, StringComparison.Ordinal)) return;
            var (n, wall, cpu) = Time(name, action);
            parts.Add((n, count, wall, cpu));
        }

        // ---- forward ----
        Part("embedding gather", 1, () => VectorKernels.GatherRows(table, text, y, Rows, E));
        Part("add [T,E] (position)", 1, () => VectorKernels.AddRow(x, pos, y, Batch));
        Part("residual add", 4, () => VectorKernels.Add(x, x2, y));
        Part("layernorm forward", 5, () => LayerNormKernels.Forward(x, gamma, beta, y, Rows, E, 1e-5f));
        Part("dense 64->192 forward", 2, () => Dense(x, weight, bias, projected, 3 * E, E));
        Part("attention forward", 2, () => AttentionKernels.Forward(projected, attention, y, Batch, T, Heads, E / Heads, causal: true));
        Part("dense 64->64 forward", 2, () => Dense(x, weight, bias, y, E, E));
        Part("dense 64->256 forward", 2, () => Dense(x, weight, bias, wide, Hidden, E));
        Part("gelu forward (keeping gelu')", 2, () => GeluKernels.Forward(wide, wide2, geluDerivative));
        Part("dense 256->64 forward", 2, () => Dense(wide, weight, bias, y, E, Hidden));
        Part("dense 64->60 forward", 1, () => Dense(x, weight, bias, scores, Vocabulary, E));
        Part("cross_entropy forward", 1, () => LossKernels.CrossEntropy(scores, next, exps, losses, Batch, T, Vocabulary));

        // ---- backward ----
        Part("clear gradients", 1, () => { VectorKernels.Clear(gradients); VectorKernels.Clear(activationGradients); });
        float[] lossGradients = Enumerable.Repeat(1f / Batch, Batch).ToArray();
        Part("cross_entropy backward", 1, () => LossKernels.CrossEntropyBackward(exps, next, lossGradients, scoreGradient, Batch, T, Vocabulary));
        DenseBackward(Part, "dense 64->60", 1, scoreGradient, x, weight, weightGradient, biasGradient, y, Vocabulary, E);
        Part("layernorm backward", 5, () => LayerNormKernels.Backward(x, gamma, x2, y, gammaGradient, betaGradient, Rows, E, 1e-5f));
        Part("residual add backward", 4, () => { x.AsSpan().CopyTo(y); x.AsSpan().CopyTo(x2); });
        DenseBackward(Part, "dense 256->64", 2, x, wide, weight, weightGradient, biasGradient, wide2, E, Hidden);
        Part("gelu backward (from gelu')", 2, () => GeluKernels.BackwardFromDerivative(geluDerivative, wide, wide2, overwrite: true));
        DenseBackward(Part, "dense 64->256", 2, wide, x, weight, weightGradient, biasGradient, y, Hidden, E);
        DenseBackward(Part, "dense 64->64", 2, x, x2, weight, weightGradient, biasGradient, y, E, E);
        Part("attention backward", 2, () => AttentionKernels.Backward(projected, attention, y, projectedGradient, Batch, T, Heads, E / Heads, causal: true, overwrite: true));
        DenseBackward(Part, "dense 64->192", 2, projected, x, weight, weightGradient, biasGradient, y, 3 * E, E);
        Part("position + embedding backward", 1, () =>
        {
            VectorKernels.AddTo(x, y);
            DenseKernels.AddColumnSums(x, posGradient, Batch, T * E);
            VectorKernels.ScatterAddRows(y, text, tableGradient, Rows, E);
        });
        var adam = new ModelC.Runtime.Optimizers.Adam(lr: 1e-9f);
        Part("clip_norm + Adam", 1, () =>
        {
            ModelC.Runtime.Optimizers.GradientClipping.ClipNorm(gradients, 1f);
            adam.Step(parameters, gradients);
        });

        foreach (var (name, wall, cpu) in whole) Console.WriteLine($"{name,-40} {wall / 1e3,9:F0} us  (calling thread's CPU {cpu / 1e3:F0} us)");
        double total = parts.Sum(p => p.Count * p.Wall), totalCpu = parts.Sum(p => p.Count * p.Cpu);
        Console.WriteLine($"{"sum of the parts",-40} {total / 1e3,9:F0} us  (calling thread's CPU {totalCpu / 1e3:F0} us)");
        foreach (var p in parts.OrderByDescending(p => p.Count * p.Wall))
            Console.WriteLine($"  {p.Name,-38} {p.Count} x {p.Wall / 1e3,7:F0} us = {p.Count * p.Wall / 1e3,6:F0} us  {100 * p.Count * p.Wall / total,5:F1} %  (CPU {p.Count * p.Cpu / 1e3:F0} us)");
    }

    // What a dense layer's forward step emits: the product, starting from the bias.
    private static void Dense(float[] input, float[] weight, float[] bias, float[] output, int outFeatures, int inFeatures)
    {
        DenseKernels.MultiplyTransposed(input.AsSpan(0, Rows * inFeatures), weight.AsSpan(0, outFeatures * inFeatures), bias.AsSpan(0, outFeatures), output.AsSpan(0, Rows * outFeatures), Rows, outFeatures, inFeatures);
    }

    // What its backward step emits, each product a part of its own: bias gradient, weight gradient dYᵀ X, input gradient dY W (written, not added).
    private static void DenseBackward(Action<string, int, Action> part, string name, int count, float[] outputGradient, float[] input, float[] weight,
        float[] weightGradient, float[] biasGradient, float[] inputGradient, int outFeatures, int inFeatures)
    {
        part($"{name} bias gradient", count, () => DenseKernels.AddColumnSums(outputGradient.AsSpan(0, Rows * outFeatures), biasGradient.AsSpan(0, outFeatures), Rows, outFeatures));
        part($"{name} weight gradient", count, () => DenseKernels.Multiply(outputGradient.AsSpan(0, Rows * outFeatures), 1, outFeatures, input.AsSpan(0, Rows * inFeatures),
            weightGradient.AsSpan(0, outFeatures * inFeatures), outFeatures, inFeatures, Rows));
        part($"{name} input gradient", count, () => DenseKernels.Multiply(outputGradient.AsSpan(0, Rows * outFeatures), outFeatures, 1, weight.AsSpan(0, outFeatures * inFeatures),
            inputGradient.AsSpan(0, Rows * inFeatures), Rows, inFeatures, outFeatures, overwrite: true));
    }

    private static (string, double, double) Time(string name, Action action)
    {
        for (int i = 0; i < 5; i++) action();
        long start0 = Stopwatch.GetTimestamp();
        action();
        double once = Math.Max(1, Stopwatch.GetElapsedTime(start0).TotalNanoseconds);
        int calls = Math.Max(1, (int)(5e6 / once));
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int r = 0; r < 15; r++)
        {
            long cpu = ThreadCpu.Nanoseconds();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            bestCpu = Math.Min(bestCpu, (double)(ThreadCpu.Nanoseconds() - cpu) / calls);
        }
        return (name, best, bestCpu);
    }

    private static float[] Values(Random random, long length)
    {
        var values = new float[length];
        for (long i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * 0.5f;
        return values;
    }
}
