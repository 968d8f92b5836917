using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// A whole GRU layer over a sequence, for generated code: the loop over time is here, so the code
/// generated for a layer is the same few lines whatever its length. Weights follow PyTorch
/// (weight_ih [3H, F], weight_hh [3H, H], gates r, z, n): r, z = σ(W_i x + b_i + W_h h + b_h),
/// n = tanh(W_in x + b_in + r·(W_hn h + b_hn)), h' = n + z·(h - n).
/// </summary>
/// <remarks>
/// As <see cref="LstmKernels"/>: one input projection for every step and example
/// ([T·B, F] × [F, 3H]), one recurrent product per step over the whole batch with the three gates
/// together ([B, H] × [H, 3H], W_hh packed once per pass), gate nonlinearities in SIMD, and the
/// weight gradients of all steps as one product each. Because r scales only the recurrent part of
/// the candidate, the recurrent product is kept apart from the input projection, its candidate
/// part W_hn h + b_hn is kept for the backward pass, and the recurrent side's gate gradients differ
/// from the input side's in the candidate (by the factor r).
/// </remarks>
public static unsafe class GruKernels
{
    private const string Layer = "GRU";

    /// <summary>
    /// Floats of scratch per example, kept from forward to backward (the time-major inputs, the
    /// activated gates, W_hn h + b_hn, the hidden states, h0 and one step's recurrent product);
    /// the backward pass needs as much free scratch (both sides' gate gradients, the input
    /// gradients and the running dh).
    /// </summary>
    public static int ScratchSize(int steps, int features, int hidden) => steps * (features + 6 * hidden) + 3 * hidden;

    /// <summary>
    /// y[b, t] = h_t of example b for x [batch, steps, features]; y is [batch, steps, hidden].
    /// The state starts at initialHidden [batch, hidden] when <paramref name="initialState"/> is
    /// set (an empty span is zero), else at zero. A reverse layer reads x from its last step to its
    /// first (PyTorch's reverse direction): y[b, t] is then the state after steps T-1 down to t.
    /// scratch holds batch · <see cref="ScratchSize"/> floats, which <see cref="Backward"/> reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh,
        ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, ReadOnlySpan<float> initialHidden,
        Span<float> y, Span<float> scratch, int batch, int steps, int features, int hidden, bool reverse, bool initialState)
    {
        var s = Layout(batch, steps, features, hidden);
        int h = hidden, g3 = 3 * hidden, rows = s.Rows, state = batch * h;
        Check(x.Length, (long)rows * features, nameof(x));
        Check(y.Length, (long)rows * h, nameof(y));
        Check(scratch.Length, (long)batch * ScratchSize(steps, features, hidden), nameof(scratch));
        Check(weightIh.Length, (long)g3 * features, nameof(weightIh));
        Check(weightHh.Length, (long)g3 * h, nameof(weightHh));
        Check(biasIh.Length, g3, nameof(biasIh));
        Check(biasHh.Length, g3, nameof(biasHh));
        var gates = Gates(s, scratch, h);
        var hiddenCandidates = HiddenCandidates(s, scratch, h);
        var recurrent = StepProduct(s, scratch, h);
        var hs = s.Hidden(scratch);
        var previous = s.PreviousHidden(scratch);
        if (initialState) RecurrentSequence.CopyOrClear(initialHidden, s.InitialHidden(scratch), state, nameof(initialHidden), Layer);

        RecurrentSequence.ToTimeMajor(x, s.Inputs(scratch), batch, steps, features, reverse);
        // Every step's W_ih x + b_ih at once.
        DenseKernels.FillRows(biasIh.Slice(0, g3), gates, rows);
        DenseKernels.MultiplyTransposed(s.Inputs(scratch), weightIh, gates, rows, g3, features);

        // Without an initial state, h_{-1} = 0 and the first step's W_hh h + b_hh is b_hh.
        int first = initialState ? 0 : 1;
        float* packed = steps > first ? RecurrentSequence.PackedWeight(weightHh, rowMajor: false, batch, g3, h) : null;
        for (int t = 0; t < steps; t++)
        {
            // W_hh h_{t-1} + b_hh for the whole batch.
            DenseKernels.FillRows(biasHh.Slice(0, g3), recurrent, batch);
            if (t >= first) DenseKernels.MultiplyTransposed(previous.Slice(t * state, state), weightHh, packed, recurrent, batch, g3, h);
            for (int b = 0; b < batch; b++)
            {
                var row = gates.Slice((t * batch + b) * g3, g3);
                var fromHidden = recurrent.Slice(b * g3, g3);
                var resetAndUpdate = row.Slice(0, 2 * h);
                TensorPrimitives.Add(resetAndUpdate, fromHidden.Slice(0, 2 * h), resetAndUpdate);
                TensorPrimitives.Sigmoid(resetAndUpdate, resetAndUpdate);
                int at = (t * batch + b) * h;
                var hiddenCandidate = hiddenCandidates.Slice(at, h);
                fromHidden.Slice(2 * h, h).CopyTo(hiddenCandidate);
                var candidate = row.Slice(2 * h, h);
                TensorPrimitives.MultiplyAdd(row.Slice(0, h), hiddenCandidate, candidate, candidate);
                TensorPrimitives.Tanh(candidate, candidate);

                var update = row.Slice(h, h);
                var next = hs.Slice(at, h);
                if (t >= first)
                {
                    TensorPrimitives.Subtract(previous.Slice(at, h), candidate, next);
                    TensorPrimitives.MultiplyAdd(update, next, candidate, next);
                }
                else
                {
                    TensorPrimitives.Multiply(update, candidate, next);
                    TensorPrimitives.Subtract(candidate, next, next);
                }
                next.CopyTo(y.Slice((b * steps + RecurrentSequence.Time(t, steps, reverse)) * h, h));
            }
        }
    }

    /// <summary>
    /// Backpropagation through time after <see cref="Forward"/> with the same options and scratch:
    /// adds the weight and bias gradients, the input gradient [batch, steps, features] and the
    /// initial state's [batch, hidden] where a span is given (empty spans are skipped).
    /// gradientScratch is free room of batch · <see cref="ScratchSize"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> yGradient,
        ReadOnlySpan<float> scratch, Span<float> gradientScratch,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient, Span<float> xGradient,
        Span<float> initialHiddenGradient, int batch, int steps, int features, int hidden, bool reverse, bool initialState)
    {
        var s = Layout(batch, steps, features, hidden);
        int h = hidden, g3 = 3 * hidden, rows = s.Rows, state = batch * h;
        long size = (long)batch * ScratchSize(steps, features, hidden);
        Check(yGradient.Length, (long)rows * h, nameof(yGradient));
        Check(scratch.Length, size, nameof(scratch));
        Check(gradientScratch.Length, size, nameof(gradientScratch));
        var gates = Gates(s, scratch, h);
        var hiddenCandidates = HiddenCandidates(s, scratch, h);
        var previous = s.PreviousHidden(scratch);
        // The gate gradients of the input side and of the recurrent side, then the input gradients and dh.
        var inputSide = gradientScratch.Slice(0, rows * g3);
        var hiddenSide = gradientScratch.Slice(rows * g3, rows * g3);
        var inputGradients = gradientScratch.Slice(2 * rows * g3, rows * features);
        var dh = gradientScratch.Slice(rows * (2 * g3 + features), state);
        dh.Clear();

        int first = initialState ? 0 : 1;
        float* packed = steps > first ? RecurrentSequence.PackedWeight(weightHh, rowMajor: true, batch, h, g3) : null;
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int at = (t * batch + b) * h, gateAt = (t * batch + b) * g3;
                var dhRow = dh.Slice(b * h, h);
                TensorPrimitives.Add(dhRow, yGradient.Slice((b * steps + RecurrentSequence.Time(t, steps, reverse)) * h, h), dhRow);
                CellBackward(gates.Slice(gateAt, g3), hiddenCandidates.Slice(at, h), t >= first ? previous.Slice(at, h) : default,
                    dhRow, inputSide.Slice(gateAt, g3), hiddenSide.Slice(gateAt, g3), h);
            }
            // dh_{t-1} = z·dh_t (left in dh by the cell) + dgates_t W_hh for the whole batch.
            if (t >= first) DenseKernels.Multiply(hiddenSide.Slice(t * batch * g3, batch * g3), g3, 1, weightHh, packed, dh, batch, h, g3);
        }
        if (initialState) RecurrentSequence.AddStateGradient(dh, initialHiddenGradient, nameof(initialHiddenGradient), Layer);
        RecurrentSequence.AddParameterGradients(inputSide, hiddenSide, s.Inputs(scratch), previous,
            weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, batch, steps, features, h, g3, first);
        RecurrentSequence.AddInputGradient(inputSide, weightIh, inputGradients, xGradient, batch, steps, features, g3, reverse, Layer);
    }

    /// <summary>
    /// One example's step backward: from dh (this step's total) to the pre-activation gradients of
    /// r, z and n on the input side and on the recurrent side (whose candidate part is r times the
    /// input side's); dh becomes z·dh, the direct part of the previous state's gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CellBackward(ReadOnlySpan<float> gate, ReadOnlySpan<float> hiddenCandidate, ReadOnlySpan<float> previous,
        Span<float> dh, Span<float> inputSide, Span<float> hiddenSide, int h)
    {
        bool first = previous.IsEmpty;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            for (; j + Vector<float>.Count <= h; j += Vector<float>.Count)
            {
                var r = new Vector<float>(gate.Slice(j));
                var z = new Vector<float>(gate.Slice(h + j));
                var n = new Vector<float>(gate.Slice(2 * h + j));
                var hn = new Vector<float>(hiddenCandidate.Slice(j));
                var hPrev = first ? Vector<float>.Zero : new Vector<float>(previous.Slice(j));
                var dH = new Vector<float>(dh.Slice(j));
                var dN = dH * (one - z) * (one - n * n);
                var dZ = dH * (hPrev - n) * z * (one - z);
                var dR = dN * hn * r * (one - r);
                dR.CopyTo(inputSide.Slice(j));
                dR.CopyTo(hiddenSide.Slice(j));
                dZ.CopyTo(inputSide.Slice(h + j));
                dZ.CopyTo(hiddenSide.Slice(h + j));
                dN.CopyTo(inputSide.Slice(2 * h + j));
                (dN * r).CopyTo(hiddenSide.Slice(2 * h + j));
                (dH * z).CopyTo(dh.Slice(j));
            }
        }
        for (; j < h; j++)
        {
            float r = gate[j], z = gate[h + j], n = gate[2 * h + j], hn = hiddenCandidate[j], hPrev = first ? 0f : previous[j], dH = dh[j];
            float dN = dH * (1f - z) * (1f - n * n);
            float dZ = dH * (hPrev - n) * z * (1f - z);
            float dR = dN * hn * r * (1f - r);
            inputSide[j] = hiddenSide[j] = dR;
            inputSide[h + j] = hiddenSide[h + j] = dZ;
            inputSide[2 * h + j] = dN;
            hiddenSide[2 * h + j] = dN * r;
            dh[j] = dH * z;
        }
    }

    private static void Check(int length, long needed, string argument) => RecurrentSequence.Check(length, needed, argument, Layer);

    /// <summary>The GRU's own values between the inputs and the states: the gates [T·B, 3H], the recurrent candidates W_hn h + b_hn [T·B, H] and one step's recurrent product [B, 3H].</summary>
    private static HiddenSequenceLayout Layout(int batch, int steps, int features, int hidden) =>
        new HiddenSequenceLayout(batch, steps, features, hidden, steps * batch * 4 * hidden + 3 * batch * hidden);

    private static Span<float> Gates(HiddenSequenceLayout s, Span<float> scratch, int h) => s.Middle(scratch).Slice(0, s.Rows * 3 * h);
    private static ReadOnlySpan<float> Gates(HiddenSequenceLayout s, ReadOnlySpan<float> scratch, int h) => s.Middle(scratch).Slice(0, s.Rows * 3 * h);
    private static Span<float> HiddenCandidates(HiddenSequenceLayout s, Span<float> scratch, int h) => s.Middle(scratch).Slice(s.Rows * 3 * h, s.Rows * h);
    private static ReadOnlySpan<float> HiddenCandidates(HiddenSequenceLayout s, ReadOnlySpan<float> scratch, int h) => s.Middle(scratch).Slice(s.Rows * 3 * h, s.Rows * h);
    private static Span<float> StepProduct(HiddenSequenceLayout s, Span<float> scratch, int h) => s.Middle(scratch).Slice(s.Rows * 4 * h, 3 * s.Step);
}
