using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// A model's dense weights packed for inference, one slot per product that reads one: a weight is
/// packed into the panels the large-product kernel reads on the first call after the parameters may
/// have changed, instead of on every call (packing FashionMlp's fc1 weight was about a sixth of a
/// batch-64 Forward); a convolution's weight likewise keeps the layout its pixel blocks read
/// (<see cref="ByTap"/>). The generated class counts the changes in a version (a training step,
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
        public Layout Layout;
        public VectorPath Path;
        public int N, K;
    }

    /// <summary>
    /// Slot <paramref name="slot"/>'s copy of w [n, k] packed as <see cref="DenseKernels.MultiplyTransposed(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>
    /// reads it on the calling thread's vector path, packed again when <paramref name="version"/> differs from the copy's.
    /// </summary>
    internal float* Transposed(int slot, ReadOnlySpan<float> w, int n, int k, long version)
    {
        var s = Current(slot, Layout.Panels, n, k, version, out bool fresh);
        if (fresh) return s.Packed;
        Allocate(s, DenseKernels.PackedWeightSize(n, k));
        DenseKernels.PackWeight(w, rowMajor: false, n, k, s.Packed);
        s.Version = version;
        return s.Packed;
    }

    /// <summary>
    /// Slot <paramref name="slot"/>'s copy of a convolution's weight [filters, taps] as [taps, filters], the
    /// layout of <see cref="ConvKernels"/>' pixel blocks (LeNet's conv2: a transpose per call was about
    /// 0.35 us of a 15 us batch-1 Forward), transposed again when <paramref name="version"/> differs from the copy's.
    /// </summary>
    internal float* ByTap(int slot, float* w, int filters, int taps, long version)
    {
        var s = Current(slot, Layout.ByTap, filters, taps, version, out bool fresh);
        if (fresh) return s.Packed;
        Allocate(s, (long)filters * taps);
        ConvKernels.ToFilterLanes(w, s.Packed, filters, taps);
        s.Version = version;
        return s.Packed;
    }

    private enum Layout { Panels, ByTap }

    // The slot, and whether its copy is of this version, layout, path and shape; if not, it is marked
    // for this layout, path and shape, and the caller fills it and sets the version.
    private Slot Current(int slot, Layout layout, int n, int k, long version, out bool fresh)
    {
        if (slot < 0) throw new ArgumentOutOfRangeException(nameof(slot), slot, "a packed-weight slot is never negative");
        if (slot >= _slots.Length) Array.Resize(ref _slots, slot + 1);
        var s = _slots[slot] ??= new Slot();
        var path = KernelPath.Current;
        fresh = s.Version == version && s.Layout == layout && s.Path == path && s.N == n && s.K == k;
        if (!fresh) (s.Version, s.Layout, s.Path, s.N, s.K) = (-1, layout, path, n, k);
        return s;
    }

    // Room for size floats starting on a 64-byte line (16 floats more than the copy), kept when it is large enough.
    private static void Allocate(Slot s, long size)
    {
        if (s.Buffer is not null && s.Buffer.Length >= size + 16) return;
        s.Buffer = GC.AllocateUninitializedArray<float>(checked((int)(size + 16)), pinned: true);
        float* start = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s.Buffer));
        s.Packed = start + (int)((64 - ((nint)start & 63)) & 63) / sizeof(float);
    }
}
