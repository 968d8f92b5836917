using System;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Whole-tensor reductions and updates for generated code, so that it needs no reference to
/// System.Numerics.Tensors of its own: thin names over TensorPrimitives.
/// </summary>
public static class VectorKernels
{
    /// <summary>sum of x[i]^2 (an l2 penalty).</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x) => TensorPrimitives.SumOfSquares(x);

    /// <summary>sum of |x[i]| (an l1 penalty).</summary>
    public static float SumOfMagnitudes(ReadOnlySpan<float> x) => TensorPrimitives.SumOfMagnitudes(x);

    /// <summary>y[i] += scale * x[i].</summary>
    public static void AddScaled(ReadOnlySpan<float> x, float scale, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'y' has {y.Length} values but 'x' has {x.Length}", nameof(y));
        TensorPrimitives.MultiplyAdd(x, scale, y, y);
    }
}
