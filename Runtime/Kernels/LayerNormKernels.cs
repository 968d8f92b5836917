using System;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Layer normalization over the last axis, row by row, as torch.nn.LayerNorm: y = (x - mean) /
/// √(var + eps) · weight + bias with the biased variance. Each row's statistics and products run
/// as TensorPrimitives' vector loops instead of generated scalar ones. The backward pass
/// recomputes each row's statistics rather than storing them. Rows are taken in order on the
/// calling thread, so the weight and bias gradients, summed over rows, never change order.
/// </summary>
public static class LayerNormKernels
{
    // Rows up to this length keep their temporaries on the stack.
    private const int StackFeatures = 1024;

    /// <summary>y [rows, features] = the normalized rows of x times weight plus bias.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int rows, int features, float epsilon)
    {
        Check(x.Length, weight.Length, y.Length, rows, features);
        if (bias.Length < features) throw new ArgumentException($"the bias has {bias.Length} values but the rows {features}", nameof(bias));
        Span<float> centered = features <= StackFeatures ? stackalloc float[features] : new float[features];
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * features, features);
            float rstd = Center(row, centered, epsilon);
            TensorPrimitives.Multiply(centered, rstd, centered);
            TensorPrimitives.MultiplyAdd(centered, weight.Slice(0, features), bias.Slice(0, features), y.Slice(r * features, features));
        }
    }

    /// <summary>
    /// Adds the gradients of x, weight and bias (each skipped when its span is empty) given the
    /// output's gradient: with x̂ the normalized row and h = g · weight,
    /// dx = rstd (h - mean(h) - x̂ mean(h x̂)), dweight = Σ g x̂, dbias = Σ g.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient, Span<float> weightGradient, Span<float> biasGradient, int rows, int features, float epsilon)
    {
        Check(x.Length, weight.Length, outputGradient.Length, rows, features);
        Span<float> normalized = features <= StackFeatures ? stackalloc float[features] : new float[features];
        Span<float> scaled = features <= StackFeatures ? stackalloc float[features] : new float[features];
        var w = weight.Slice(0, features);
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * features, features);
            var g = outputGradient.Slice(r * features, features);
            float rstd = Center(row, normalized, epsilon);
            TensorPrimitives.Multiply(normalized, rstd, normalized);
            if (!weightGradient.IsEmpty) TensorPrimitives.MultiplyAdd(g, normalized, weightGradient.Slice(0, features), weightGradient.Slice(0, features));
            if (!biasGradient.IsEmpty) TensorPrimitives.Add(biasGradient.Slice(0, features), g, biasGradient.Slice(0, features));
            if (inputGradient.IsEmpty) continue;
            TensorPrimitives.Multiply(g, w, scaled);
            float meanH = TensorPrimitives.Sum<float>(scaled) / features;
            float meanHX = TensorPrimitives.Dot<float>(scaled, normalized) / features;
            // h - mean(h) - x̂ mean(h x̂), then dx += rstd · that.
            TensorPrimitives.Subtract(scaled, meanH, scaled);
            TensorPrimitives.MultiplyAdd(normalized, -meanHX, scaled, scaled);
            var dx = inputGradient.Slice(r * features, features);
            TensorPrimitives.MultiplyAdd(scaled, rstd, dx, dx);
        }
    }

    // centered = row - mean(row); returns 1 / √(var + eps).
    private static float Center(ReadOnlySpan<float> row, Span<float> centered, float epsilon)
    {
        float mean = TensorPrimitives.Sum(row) / row.Length;
        TensorPrimitives.Subtract(row, mean, centered);
        return 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares<float>(centered) / row.Length + epsilon);
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
