using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// A dense layer's activation, fused with what surrounds it: relu over a whole batch after the
/// layer's product, and in the backward pass relu's derivative together with the layer's bias
/// gradient, so the gradient rows are read once instead of twice. Each element is computed exactly
/// as the generated scalar loops compute it (relu(x) = x &lt; 0 ? 0 : x, so NaN passes through, as
/// torch.relu does), so the results are bit-identical to theirs.
/// </summary>
public static class ActivationKernels
{
    /// <summary>y[i] = x[i] &lt; 0 ? 0 : x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException($"'{nameof(y)}' has {y.Length} values but '{nameof(x)}' has {x.Length}", nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref xs, (nuint)i);
                Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), Vector512<float>.Zero, v).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref xs, (nuint)i);
                Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<float>.Zero), Vector256<float>.Zero, v).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref xs, i);
            Unsafe.Add(ref ys, i) = v < 0f ? 0f : v;
        }
    }

    /// <summary>
    /// The backward pass of relu(dense(...)) up to the layer's product, for a rows x columns batch:
    /// preGradient[r, c] += activationGradient[r, c] * (preActivation[r, c] &gt; 0 ? 1 : 0), then
    /// biasGradient[c] += preGradient[r, c] summed in row order (bias empty: no bias).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackwardWithBiasGradient(ReadOnlySpan<float> preActivation, ReadOnlySpan<float> activationGradient,
        Span<float> preGradient, Span<float> biasGradient, int rows, int columns)
    {
        if (rows < 0 || columns < 0) throw new ArgumentOutOfRangeException(rows < 0 ? nameof(rows) : nameof(columns), "sizes must be >= 0");
        long size = (long)rows * columns;
        Need(preActivation.Length, size, nameof(preActivation));
        Need(activationGradient.Length, size, nameof(activationGradient));
        Need(preGradient.Length, size, nameof(preGradient));
        if (!biasGradient.IsEmpty) Need(biasGradient.Length, columns, nameof(biasGradient));
        bool bias = !biasGradient.IsEmpty;
        ref float x = ref MemoryMarshal.GetReference(preActivation);
        ref float g = ref MemoryMarshal.GetReference(activationGradient);
        ref float d = ref MemoryMarshal.GetReference(preGradient);
        ref float s = ref MemoryMarshal.GetReference(biasGradient);
        for (int r = 0; r < rows; r++)
        {
            nuint row = (nuint)r * (nuint)columns;
            int c = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; c + 16 <= columns; c += 16)
                {
                    nuint at = row + (nuint)c;
                    var mask = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.LoadUnsafe(ref x, at), Vector512<float>.Zero), Vector512<float>.One, Vector512<float>.Zero);
                    var dx = Vector512.LoadUnsafe(ref d, at) + Vector512.LoadUnsafe(ref g, at) * mask;
                    dx.StoreUnsafe(ref d, at);
                    if (bias) (Vector512.LoadUnsafe(ref s, (nuint)c) + dx).StoreUnsafe(ref s, (nuint)c);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (; c + 8 <= columns; c += 8)
                {
                    nuint at = row + (nuint)c;
                    var mask = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.LoadUnsafe(ref x, at), Vector256<float>.Zero), Vector256<float>.One, Vector256<float>.Zero);
                    var dx = Vector256.LoadUnsafe(ref d, at) + Vector256.LoadUnsafe(ref g, at) * mask;
                    dx.StoreUnsafe(ref d, at);
                    if (bias) (Vector256.LoadUnsafe(ref s, (nuint)c) + dx).StoreUnsafe(ref s, (nuint)c);
                }
            }
            for (; c < columns; c++)
            {
                nuint at = row + (nuint)c;
                float dx = Unsafe.Add(ref d, at) + Unsafe.Add(ref g, at) * (Unsafe.Add(ref x, at) > 0f ? 1f : 0f);
                Unsafe.Add(ref d, at) = dx;
                if (bias) Unsafe.Add(ref s, c) += dx;
            }
        }
    }

    private static void Need(int length, long needed, string argument)
    {
        if (length < needed) throw new ArgumentException($"'{argument}' has {length} values but the layer needs {needed}", argument);
    }
}
