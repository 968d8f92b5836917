using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Subtraction and multiplication of two tensors of one shape, and their backward passes, for
/// generated code: the same bits as its scalar loops (each element is one rounded operation, and
/// a gradient adds one rounded product), eight lanes at a time. The forward passes are
/// TensorPrimitives'; the backward ones are loops of their own, because TensorPrimitives.MultiplyAdd
/// with its destination also an input measured several times slower than the loop.
/// </summary>
public static class ElementwiseKernels
{
    /// <summary>y = a - b.</summary>
    public static void Subtract(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        Check(a.Length, b.Length, y.Length);
        TensorPrimitives.Subtract(a, b, y);
    }

    /// <summary>y = a · b.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        Check(a.Length, b.Length, y.Length);
        TensorPrimitives.Multiply(a, b, y);
    }

    /// <summary>aGradient += g and bGradient -= g for y = a - b (an empty span: not wanted).</summary>
    public static void SubtractBackward(ReadOnlySpan<float> g, Span<float> aGradient, Span<float> bGradient)
    {
        if (!aGradient.IsEmpty)
        {
            Check(g.Length, g.Length, aGradient.Length);
            TensorPrimitives.Add(aGradient, g, aGradient);
        }
        if (!bGradient.IsEmpty)
        {
            Check(g.Length, g.Length, bGradient.Length);
            // bGradient + g · -1 is bGradient - g exactly.
            TensorPrimitives.Subtract(bGradient, g, bGradient);
        }
    }

    /// <summary>aGradient += g · b and bGradient += g · a for y = a · b (an empty span: not wanted).</summary>
    public static void MultiplyBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> aGradient, Span<float> bGradient)
    {
        Check(a.Length, b.Length, g.Length);
        if (!aGradient.IsEmpty) AddProducts(g, b, aGradient);
        if (!bGradient.IsEmpty) AddProducts(g, a, bGradient);
    }

    // y += g · x, the product rounded and then the sum (no fused multiply-add).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddProducts(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(g.Length, x.Length, y.Length);
        ref float gs = ref MemoryMarshal.GetReference(g);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = g.Length, i = 0;
        for (; i + 8 <= n; i += 8)
            (Vector256.LoadUnsafe(ref ys, (nuint)i) + Vector256.LoadUnsafe(ref gs, (nuint)i) * Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref ys, i) += Unsafe.Add(ref gs, i) * Unsafe.Add(ref xs, i);
    }

    private static void Check(int a, int b, int y)
    {
        if (b != a) throw new ArgumentException($"the operands have {a} and {b} values; they must have one shape");
        if (y != a) throw new ArgumentException($"the result has {y} values but the operands {a}");
    }
}
