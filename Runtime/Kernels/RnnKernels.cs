using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// A whole Elman RNN layer over a sequence, for generated code: h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
/// with PyTorch's weights (weight_ih [H, F], weight_hh [H, H]). The loop over time is here, so the
/// code generated for a layer is the same few lines whatever its length.
/// </summary>
/// <remarks>
/// As <see cref="LstmKernels"/>: one input projection for every step and example, one recurrent
/// product per step over the whole batch (W_hh packed once per pass), and the weight gradients of
/// all steps as one product each.
/// </remarks>
public static unsafe class RnnKernels
{
    private const string Layer = "RNN";

    /// <summary>
    /// Floats of scratch per example, kept from forward to backward (the time-major inputs, h0 and
    /// the hidden states); the backward pass needs as much free scratch (the pre-activation
    /// gradients, the input gradients and the running dh).
    /// </summary>
    public static int ScratchSize(int steps, int features, int hidden) => steps * (features + hidden) + hidden;

    /// <summary>
    /// y[b, t] = h_t of example b for x [batch, steps, features], with the options of
    /// <see cref="GruKernels.Forward"/>: initialHidden [batch, hidden] when
    /// <paramref name="initialState"/> is set (empty is zero), and a reverse direction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh,
        ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, ReadOnlySpan<float> initialHidden,
        Span<float> y, Span<float> scratch, int batch, int steps, int features, int hidden, bool reverse, bool initialState)
    {
        var s = Layout(batch, steps, features, hidden);
        int h = hidden, rows = s.Rows, state = batch * h;
        Check(x.Length, (long)rows * features, nameof(x));
        Check(y.Length, (long)rows * h, nameof(y));
        Check(scratch.Length, (long)batch * ScratchSize(steps, features, hidden), nameof(scratch));
        Check(weightIh.Length, (long)h * features, nameof(weightIh));
        Check(weightHh.Length, (long)h * h, nameof(weightHh));
        Check(biasIh.Length, h, nameof(biasIh));
        Check(biasHh.Length, h, nameof(biasHh));
        var hs = s.Hidden(scratch);
        var previous = s.PreviousHidden(scratch);
        if (initialState) RecurrentSequence.CopyOrClear(initialHidden, s.InitialHidden(scratch), state, nameof(initialHidden), Layer);

        RecurrentSequence.ToTimeMajor(x, s.Inputs(scratch), batch, steps, features, reverse);
        // Every step's W_ih x + b_ih at once, in the rows that become the hidden states.
        DenseKernels.FillRows(biasIh.Slice(0, h), hs, rows);
        DenseKernels.MultiplyTransposed(s.Inputs(scratch), weightIh, hs, rows, h, features);

        // Without an initial state, h_{-1} = 0 adds nothing at the first step.
        int first = initialState ? 0 : 1;
        float* packed = steps > first ? RecurrentSequence.PackedWeight(weightHh, rowMajor: false, batch, h, h) : null;
        for (int t = 0; t < steps; t++)
        {
            var step = hs.Slice(t * state, state);
            if (t >= first) DenseKernels.MultiplyTransposed(previous.Slice(t * state, state), weightHh, packed, step, batch, h, h);
            for (int b = 0; b < batch; b++)
            {
                var row = step.Slice(b * h, h);
                TensorPrimitives.Add(row, biasHh.Slice(0, h), row);
                TensorPrimitives.Tanh(row, row);
                row.CopyTo(y.Slice((b * steps + RecurrentSequence.Time(t, steps, reverse)) * h, h));
            }
        }
    }

    /// <summary>
    /// Backpropagation through time after <see cref="Forward"/> with the same options and scratch,
    /// as <see cref="GruKernels.Backward"/>: adds every gradient whose span is not empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> yGradient,
        ReadOnlySpan<float> scratch, Span<float> gradientScratch,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient, Span<float> xGradient,
        Span<float> initialHiddenGradient, int batch, int steps, int features, int hidden, bool reverse, bool initialState)
    {
        var s = Layout(batch, steps, features, hidden);
        int h = hidden, rows = s.Rows, state = batch * h;
        long size = (long)batch * ScratchSize(steps, features, hidden);
        Check(yGradient.Length, (long)rows * h, nameof(yGradient));
        Check(scratch.Length, size, nameof(scratch));
        Check(gradientScratch.Length, size, nameof(gradientScratch));
        var hs = s.Hidden(scratch);
        var preactivationGradients = gradientScratch.Slice(0, rows * h);
        var inputGradients = gradientScratch.Slice(rows * h, rows * features);
        var dh = gradientScratch.Slice(rows * (h + features), state);
        dh.Clear();

        int first = initialState ? 0 : 1;
        float* packed = steps > first ? RecurrentSequence.PackedWeight(weightHh, rowMajor: true, batch, h, h) : null;
        for (int t = steps - 1; t >= 0; t--)
        {
            var stepGradients = preactivationGradients.Slice(t * state, state);
            for (int b = 0; b < batch; b++)
            {
                var dhRow = dh.Slice(b * h, h);
                TensorPrimitives.Add(dhRow, yGradient.Slice((b * steps + RecurrentSequence.Time(t, steps, reverse)) * h, h), dhRow);
                TanhBackward(hs.Slice((t * batch + b) * h, h), dhRow, stepGradients.Slice(b * h, h));
            }
            if (t >= first)
            {
                // dh_{t-1} = dpre_t W_hh for the whole batch.
                dh.Clear();
                DenseKernels.Multiply(stepGradients, h, 1, weightHh, packed, dh, batch, h, h);
            }
        }
        if (initialState) RecurrentSequence.AddStateGradient(dh, initialHiddenGradient, nameof(initialHiddenGradient), Layer);
        RecurrentSequence.AddParameterGradients(preactivationGradients, preactivationGradients, s.Inputs(scratch), s.PreviousHidden(scratch),
            weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, batch, steps, features, h, h, first);
        RecurrentSequence.AddInputGradient(preactivationGradients, weightIh, inputGradients, xGradient, batch, steps, features, h, reverse, Layer);
    }

    /// <summary>dPre = dh·(1 - h²) for h = tanh(pre).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TanhBackward(ReadOnlySpan<float> state, ReadOnlySpan<float> dh, Span<float> dPre)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
            for (; j + Vector<float>.Count <= state.Length; j += Vector<float>.Count)
            {
                var v = new Vector<float>(state.Slice(j));
                (new Vector<float>(dh.Slice(j)) * (Vector<float>.One - v * v)).CopyTo(dPre.Slice(j));
            }
        for (; j < state.Length; j++) dPre[j] = dh[j] * (1f - state[j] * state[j]);
    }

    private static void Check(int length, long needed, string argument) => RecurrentSequence.Check(length, needed, argument, Layer);

    /// <summary>The inputs, h0 and the hidden states; an RNN keeps nothing else.</summary>
    private static HiddenSequenceLayout Layout(int batch, int steps, int features, int hidden) =>
        new HiddenSequenceLayout(batch, steps, features, hidden, middle: 0);
}
