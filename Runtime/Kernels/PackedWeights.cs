using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// A model's dense weights packed for inference, one slot per product that reads one: a weight is
/// packed into the panels the large-product kernel reads on the first call after the parameters may
/// have changed, instead of on every call (packing FashionMlp's fc1 weight was about a sixth of a
/// batch-64 Forward). The generated class counts the changes in a version (a training step,
/// Initialize, and every read of Parameters, through which loaders and optimizers write) and passes
/// it with each product; a slot repacks when the version or the vector path differs from its copy's.
/// </summary>
/// <remarks>
/// Buffers are pinned arrays (the pinned heap never moves them), so the kernels read them through a
/// pointer without a <c>fixed</c> per call, and a model needs no disposal. Each is allocated once,
/// at the first call that packs its slot; steady-state inference allocates nothing.
/// </remarks>
public sealed unsafe class PackedWeights
{
    private Slot[] _slots = Array.Empty<Slot>();

    private sealed class Slot
    {
        public float[]? Buffer;
        public float* Packed;
        public long Version = -1;
        public VectorPath Path;
        public int N, K;
    }

    /// <summary>
    /// Slot <paramref name="slot"/>'s copy of w [n, k] packed as <see cref="DenseKernels.MultiplyTransposed(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
    /// reads it on the calling thread's vector path, packed again when <paramref name="version"/> differs from the copy's.
    /// </summary>
    internal float* Transposed(int slot, ReadOnlySpan<float> w, int n, int k, long version)
    {
        if (slot < 0) throw new ArgumentOutOfRangeException(nameof(slot), slot, "a packed-weight slot is never negative");
        if (slot >= _slots.Length) Array.Resize(ref _slots, slot + 1);
        var s = _slots[slot] ??= new Slot();
        var path = KernelPath.Current;
        if (s.Version == version && s.Path == path && s.N == n && s.K == k) return s.Packed;

        long size = DenseKernels.PackedWeightSize(n, k);
        // 16 floats more than the panels, so that they can start on a 64-byte line.
        if (s.Buffer is null || s.Buffer.Length < size + 16)
        {
            s.Buffer = GC.AllocateUninitializedArray<float>(checked((int)(size + 16)), pinned: true);
            float* start = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s.Buffer));
            s.Packed = start + (int)((64 - ((nint)start & 63)) & 63) / sizeof(float);
        }
        DenseKernels.PackWeight(w, rowMajor: false, n, k, s.Packed);
        (s.Version, s.Path, s.N, s.K) = (version, path, n, k);
        return s.Packed;
    }
}
