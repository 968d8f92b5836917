using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Subtraction and multiplication of two tensors of one shape, and their backward passes, for
/// generated code: the same bits as its scalar loops (each element is one rounded operation, and
/// a gradient adds one rounded product), eight lanes at a time. Loops of their own rather than
/// TensorPrimitives' generic ones, which start as unoptimized tier-0 code and measured slower than
/// the scalar loop for a while after start-up.
/// </summary>
public static class ElementwiseKernels
{
    /// <summary>y = a - b.</summary>
    public static void Subtract(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Combine(a, b, y, Operation.Subtract);

    /// <summary>y = a · b.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Combine(a, b, y, Operation.Multiply);

    /// <summary>aGradient += g and bGradient -= g for y = a - b (an empty span: not wanted).</summary>
    public static void SubtractBackward(ReadOnlySpan<float> g, Span<float> aGradient, Span<float> bGradient)
    {
        // bGradient + g · -1 is bGradient - g exactly; aGradient + g · 1 is aGradient + g.
        if (!aGradient.IsEmpty) Combine(aGradient, g, aGradient, Operation.Add);
        if (!bGradient.IsEmpty) Combine(bGradient, g, bGradient, Operation.Subtract);
    }

    private enum Operation { Add, Subtract, Multiply }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Combine(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, Operation operation)
    {
        Check(a.Length, b.Length, y.Length);
        ref float @as = ref MemoryMarshal.GetReference(a);
        ref float bs = ref MemoryMarshal.GetReference(b);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = a.Length, i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var va = Vector256.LoadUnsafe(ref @as, (nuint)i);
            var vb = Vector256.LoadUnsafe(ref bs, (nuint)i);
            (operation == Operation.Multiply ? va * vb : operation == Operation.Subtract ? va - vb : va + vb).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < n; i++)
        {
            float va = Unsafe.Add(ref @as, i), vb = Unsafe.Add(ref bs, i);
            Unsafe.Add(ref ys, i) = operation == Operation.Multiply ? va * vb : operation == Operation.Subtract ? va - vb : va + vb;
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
