using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Inverted dropout's training pass for generated code. The draws are taken in element order
/// (<see cref="ModelRandom.FillFloats"/>), as the generated loop took them, so the random sequence
/// (and every mask) is unchanged;
/// the masks and products are then computed branch-free, where the loop's branch on each draw was
/// mispredicted every fifth element or so.
/// </summary>
public static class DropoutKernels
{
    /// <summary>
    /// For each i in order: mask[i] = (random.NextFloat() &lt; probability ? 0 : keepScale), then
    /// y[i] = x[i] * mask[i].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ModelRandom random, float probability, float keepScale, ReadOnlySpan<float> x, Span<float> mask, Span<float> y)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (mask.Length != x.Length) throw new ArgumentException($"'{nameof(mask)}' has {mask.Length} values but '{nameof(x)}' has {x.Length}", nameof(mask));
        if (y.Length != x.Length) throw new ArgumentException($"'{nameof(y)}' has {y.Length} values but '{nameof(x)}' has {x.Length}", nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ms = ref MemoryMarshal.GetReference(mask);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        random.FillFloats(mask);
        var path = KernelPath.Current;
        if (path == VectorPath.Avx512)
        {
            var p = Vector512.Create(probability);
            var keep = Vector512.Create(keepScale);
            for (; i + 16 <= n; i += 16)
            {
                var m = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.LoadUnsafe(ref ms, (nuint)i), p), Vector512<float>.Zero, keep);
                m.StoreUnsafe(ref ms, (nuint)i);
                (Vector512.LoadUnsafe(ref xs, (nuint)i) * m).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        else if (path == VectorPath.Avx2)
        {
            var p = Vector256.Create(probability);
            var keep = Vector256.Create(keepScale);
            for (; i + 8 <= n; i += 8)
            {
                var m = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.LoadUnsafe(ref ms, (nuint)i), p), Vector256<float>.Zero, keep);
                m.StoreUnsafe(ref ms, (nuint)i);
                (Vector256.LoadUnsafe(ref xs, (nuint)i) * m).StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float m = Unsafe.Add(ref ms, i) < probability ? 0f : keepScale;
            Unsafe.Add(ref ms, i) = m;
            Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) * m;
        }
    }
}
