using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// A whole LSTM layer over a sequence, for generated code: the loop over time is here, so the code
/// generated for a layer is the same few lines whatever its length. Weights follow PyTorch
/// (weight_ih [4H, F], weight_hh [4H, H], gates i, f, g, o); the initial state is zero.
/// </summary>
/// <remarks>
/// The work is a handful of products, all through <see cref="DenseKernels"/>: the input projection
/// of every step and example at once ([T·B, F] × [F, 4H]); one recurrent product per step over the
/// whole batch with the four gates together ([B, H] × [H, 4H]), whose gate nonlinearities and cell
/// update follow in SIMD; backward, one product per step for the hidden-state gradient and then the
/// weight gradients of all steps as one product each. W_hh is packed for the step products once per
/// pass rather than once per step. Inside, every sequence is kept time-major
/// ([T, B, ·]), so that a step's rows, and the hidden states that the weight gradient pairs with the
/// next step's gate gradients, lie next to each other.
/// </remarks>
public static unsafe class LstmKernels
{
    private const string Layer = "LSTM";

    /// <summary>
    /// Floats of scratch per example, kept from forward to backward: the inputs (time-major), the
    /// activated gates, the cell states, their tanh and the hidden states, and with an initial
    /// state, h0 and c0. The backward pass needs as many again of free scratch: gate gradients,
    /// input gradients and the running dh and dc.
    /// </summary>
    public static int ScratchSize(int steps, int features, int hidden, bool initialState = false) =>
        steps * (features + 7 * hidden) + (initialState ? 2 * hidden : 0);

    /// <summary>
    /// y[b, t] = h_t of example b for x [batch, steps, features], from a zero state; y is
    /// [batch, steps, hidden]. scratch holds batch · <see cref="ScratchSize"/> floats that
    /// <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{float}, int, int, int, int)"/> reads.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh,
        ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, Span<float> y, Span<float> scratch,
        int batch, int steps, int features, int hidden) =>
        Forward(x, weightIh, weightHh, biasIh, biasHh, default, default, y, default, scratch, batch, steps, features, hidden, reverse: false, initialState: false);

    /// <summary>
    /// The layer with its options: from the initial state (initialHidden and initialCell
    /// [batch, hidden]; an empty one is zero) when <paramref name="initialState"/> is set, and the
    /// final cell state written to finalCell [batch, hidden] when it is not empty. A reverse layer
    /// reads x from its last step to its first (PyTorch's reverse direction): y[b, t] is then the
    /// state after steps T-1 down to t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh,
        ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, ReadOnlySpan<float> initialHidden, ReadOnlySpan<float> initialCell,
        Span<float> y, Span<float> finalCell, Span<float> scratch, int batch, int steps, int features, int hidden, bool reverse, bool initialState)
    {
        var s = new Layout(batch, steps, features, hidden, initialState);
        Check(x.Length, s.Rows * features, nameof(x));
        Check(y.Length, s.Rows * hidden, nameof(y));
        Check(scratch.Length, s.Total, nameof(scratch));
        Check(weightIh.Length, s.Gates * features, nameof(weightIh));
        Check(weightHh.Length, s.Gates * hidden, nameof(weightHh));
        Check(biasIh.Length, s.Gates, nameof(biasIh));
        Check(biasHh.Length, s.Gates, nameof(biasHh));
        var inputs = s.Inputs(scratch);
        var gates = s.GateValues(scratch);
        var cells = s.Cells(scratch);
        var tanhs = s.TanhCells(scratch);
        var hs = s.Hidden(scratch);
        int h = hidden, g4 = s.Gates;
        if (initialState)
        {
            // h0 and c0 lie just before the states of step 0, so step t reads step t-1 the same way for every t.
            RecurrentSequence.CopyOrClear(initialHidden, s.InitialHidden(scratch), batch * h, nameof(initialHidden), Layer);
            RecurrentSequence.CopyOrClear(initialCell, s.InitialCell(scratch), batch * h, nameof(initialCell), Layer);
        }
        if (!finalCell.IsEmpty) Check(finalCell.Length, batch * h, nameof(finalCell));

        int Time(int t) => RecurrentSequence.Time(t, steps, reverse);
        RecurrentSequence.ToTimeMajor(x, inputs, batch, steps, features, reverse);
        // Every step's W_ih x + b_ih at once.
        DenseKernels.FillRows(biasIh.Slice(0, g4), gates, s.Rows);
        DenseKernels.MultiplyTransposed(inputs, weightIh, gates, s.Rows, g4, features);

        // Without an initial state, h_{-1} = c_{-1} = 0 add nothing at the first step.
        int first = initialState ? 0 : 1;
        float* packed = steps > first ? RecurrentSequence.PackedWeight(weightHh, rowMajor: false, batch, g4, h) : null;
        var previousStates = s.PreviousHidden(scratch);
        var previousCells = s.PreviousCells(scratch);
        fixed (float* pGates = gates, pBias = biasHh, pCells = cells, pPreviousCells = previousCells, pTanhs = tanhs, pStates = hs, pY = y)
        {
            var job = new StepJob { Bias = pBias, Hidden = h, Gates4 = g4, Steps = steps };
            for (int t = 0; t < steps; t++)
            {
                var step = gates.Slice(t * batch * g4, batch * g4);
                // + W_hh h_{t-1} for the whole batch.
                if (t >= first) DenseKernels.MultiplyTransposed(previousStates.Slice(t * batch * h, batch * h), weightHh, packed, step, batch, g4, h);
                long at = (long)t * batch * h;
                job.Gates = pGates + (long)t * batch * g4;
                job.Cells = pCells + at;
                job.PreviousCells = t >= first ? pPreviousCells + at : null;
                job.Tanhs = pTanhs + at;
                job.States = pStates + at;
                job.Output = pY + (long)Time(t) * h;
                RunSteps(&CellForwardExamples, &job, batch);
            }
        }
        if (!finalCell.IsEmpty) cells.Slice((steps - 1) * batch * h, batch * h).CopyTo(finalCell);
    }

    /// <summary>
    /// Backpropagation through time after the short <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, int, int, int)"/>
    /// (same scratch): adds the weight and bias gradients, and the input gradient
    /// [batch, steps, features] where a span is given (empty spans are skipped). gradientScratch
    /// is free room of batch · <see cref="ScratchSize"/> floats.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> yGradient,
        ReadOnlySpan<float> scratch, Span<float> gradientScratch,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient, Span<float> xGradient,
        int batch, int steps, int features, int hidden) =>
        Backward(weightIh, weightHh, yGradient, default, scratch, gradientScratch, weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient,
            xGradient, default, default, batch, steps, features, hidden, reverse: false, initialState: false);

    /// <summary>
    /// Backpropagation through time after the <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, int, int, int, int, bool, bool)"/>
    /// with the same options: finalCellGradient (the gradient of its finalCell, empty for none)
    /// enters the last step's dc, and the gradients of the initial state are added into
    /// initialHiddenGradient and initialCellGradient [batch, hidden] where given.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> yGradient, ReadOnlySpan<float> finalCellGradient,
        ReadOnlySpan<float> scratch, Span<float> gradientScratch,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient, Span<float> xGradient,
        Span<float> initialHiddenGradient, Span<float> initialCellGradient,
        int batch, int steps, int features, int hidden, bool reverse, bool initialState)
    {
        var s = new Layout(batch, steps, features, hidden, initialState);
        Check(yGradient.Length, s.Rows * hidden, nameof(yGradient));
        Check(scratch.Length, s.Total, nameof(scratch));
        Check(gradientScratch.Length, s.Total, nameof(gradientScratch));
        int h = hidden, g4 = s.Gates;
        var gates = s.GateValues(scratch);
        var previousCells = s.PreviousCells(scratch);
        var tanhs = s.TanhCells(scratch);
        var gateGradients = gradientScratch.Slice(0, s.Rows * g4);
        var inputGradients = gradientScratch.Slice(s.Rows * g4, s.Rows * features);
        var dh = gradientScratch.Slice(s.Rows * (g4 + features), batch * h);
        var dc = gradientScratch.Slice(s.Rows * (g4 + features) + batch * h, batch * h);
        dh.Clear();
        if (finalCellGradient.IsEmpty) dc.Clear();
        else
        {
            Check(finalCellGradient.Length, batch * h, nameof(finalCellGradient));
            finalCellGradient.Slice(0, batch * h).CopyTo(dc);
        }
        int Time(int t) => RecurrentSequence.Time(t, steps, reverse);

        int first = initialState ? 0 : 1;
        float* packed = steps > first ? RecurrentSequence.PackedWeight(weightHh, rowMajor: true, batch, h, g4) : null;
        for (int t = steps - 1; t >= 0; t--)
        {
            var stepGradients = gateGradients.Slice(t * batch * g4, batch * g4);
            fixed (float* pGates = gates, pPreviousCells = previousCells, pTanhs = tanhs, pDh = dh, pDc = dc, pDy = yGradient, pDGates = stepGradients)
            {
                long at = (long)t * batch * h;
                var job = new StepJob
                {
                    Hidden = h, Gates4 = g4, Steps = steps, Gates = pGates + (long)t * batch * g4, PreviousCells = t >= first ? pPreviousCells + at : null,
                    Tanhs = pTanhs + at, Dh = pDh, Dc = pDc, OutputGradient = pDy + (long)Time(t) * h, GateGradients = pDGates,
                };
                RunSteps(&CellBackwardExamples, &job, batch);
            }
            if (t >= first)
            {
                // dh_{t-1} = dgates_t W_hh for the whole batch.
                dh.Clear();
                DenseKernels.Multiply(stepGradients, g4, 1, weightHh, packed, dh, batch, h, g4);
            }
        }
        // dh and dc now hold the gradients of h_{-1} and c_{-1}: the initial state's.
        if (initialState)
        {
            RecurrentSequence.AddStateGradient(dh, initialHiddenGradient, nameof(initialHiddenGradient), Layer);
            RecurrentSequence.AddStateGradient(dc, initialCellGradient, nameof(initialCellGradient), Layer);
        }
        RecurrentSequence.AddParameterGradients(gateGradients, gateGradients, s.Inputs(scratch), s.PreviousHidden(scratch),
            weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, batch, steps, features, h, g4, first);
        RecurrentSequence.AddInputGradient(gateGradients, weightIh, inputGradients, xGradient, batch, steps, features, g4, reverse, Layer);
    }

    // Steps over at least this many floats of gates share their examples with the kernel workers.
    private const int ParallelStepMinimum = 4096;

    /// <summary>One step's element-wise work for a batch: pointers to the step's rows (example b at b · width), shared by the examples' threads.</summary>
    private struct StepJob
    {
        public float* Gates, Bias, Cells, PreviousCells, Tanhs, States, Output;
        public float* Dh, Dc, OutputGradient, GateGradients;
        public int Hidden, Gates4, Steps;
    }

    // Runs body over the batch's examples, split across the kernel threads when the step is large enough: each example is computed alone, so the bits do not change.
    private static void RunSteps(delegate*<StepJob*, int, int, void> body, StepJob* job, int batch)
    {
        int parts = (long)batch * job->Gates4 < ParallelStepMinimum ? 1 : Math.Min(KernelThreads.Parts, batch);
        if (parts <= 1 || !KernelThreads.TryRun(body, job, batch, 1, parts)) body(job, 0, batch);
    }

    // Examples [start, end) of a forward step: the gate nonlinearities on W_ih x + b_ih + W_hh h (already summed), then the cell update.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CellForwardExamples(StepJob* job, int start, int end)
    {
        int h = job->Hidden, g4 = job->Gates4;
        var biasHh = new ReadOnlySpan<float>(job->Bias, g4);
        for (int b = start; b < end; b++)
        {
            var row = new Span<float>(job->Gates + (long)b * g4, g4);
            TensorPrimitives.Add(row, biasHh, row);
            var inputAndForget = row.Slice(0, 2 * h);
            TensorPrimitives.Sigmoid(inputAndForget, inputAndForget);
            var candidate = row.Slice(2 * h, h);
            TensorPrimitives.Tanh(candidate, candidate);
            var output = row.Slice(3 * h, h);
            TensorPrimitives.Sigmoid(output, output);

            var c = new Span<float>(job->Cells + (long)b * h, h);
            TensorPrimitives.Multiply(row.Slice(0, h), candidate, c);
            if (job->PreviousCells != null) TensorPrimitives.MultiplyAdd(row.Slice(h, h), new ReadOnlySpan<float>(job->PreviousCells + (long)b * h, h), c, c);
            var tanhC = new Span<float>(job->Tanhs + (long)b * h, h);
            TensorPrimitives.Tanh(c, tanhC);
            var state = new Span<float>(job->States + (long)b * h, h);
            TensorPrimitives.Multiply(output, tanhC, state);
            state.CopyTo(new Span<float>(job->Output + (long)b * job->Steps * h, h));
        }
    }

    // Examples [start, end) of a backward step: dh += this step's output gradient, then the cell's backward.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CellBackwardExamples(StepJob* job, int start, int end)
    {
        int h = job->Hidden, g4 = job->Gates4;
        for (int b = start; b < end; b++)
        {
            var dhRow = new Span<float>(job->Dh + (long)b * h, h);
            TensorPrimitives.Add(dhRow, new ReadOnlySpan<float>(job->OutputGradient + (long)b * job->Steps * h, h), dhRow);
            CellBackward(new ReadOnlySpan<float>(job->Gates + (long)b * g4, g4),
                job->PreviousCells != null ? new ReadOnlySpan<float>(job->PreviousCells + (long)b * h, h) : default,
                new ReadOnlySpan<float>(job->Tanhs + (long)b * h, h), dhRow, new Span<float>(job->Dc + (long)b * h, h),
                new Span<float>(job->GateGradients + (long)b * g4, g4), h);
        }
    }

    /// <summary>
    /// One example's step backward: from dh (this step's total) and dc (from the next step) to the
    /// pre-activation gradients of the four gates; dc becomes the previous step's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CellBackward(ReadOnlySpan<float> gate, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> tanhCell,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dGate, int h)
    {
        bool first = previousCell.IsEmpty;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            for (; j + Vector<float>.Count <= h; j += Vector<float>.Count)
            {
                var i = new Vector<float>(gate.Slice(j));
                var f = new Vector<float>(gate.Slice(h + j));
                var g = new Vector<float>(gate.Slice(2 * h + j));
                var o = new Vector<float>(gate.Slice(3 * h + j));
                var tc = new Vector<float>(tanhCell.Slice(j));
                var dH = new Vector<float>(dh.Slice(j));
                var dC = new Vector<float>(dc.Slice(j)) + dH * o * (one - tc * tc);
                var cPrev = first ? Vector<float>.Zero : new Vector<float>(previousCell.Slice(j));
                (dC * g * i * (one - i)).CopyTo(dGate.Slice(j));
                (dC * cPrev * f * (one - f)).CopyTo(dGate.Slice(h + j));
                (dC * i * (one - g * g)).CopyTo(dGate.Slice(2 * h + j));
                (dH * tc * o * (one - o)).CopyTo(dGate.Slice(3 * h + j));
                (dC * f).CopyTo(dc.Slice(j));
            }
        }
        for (; j < h; j++)
        {
            float i = gate[j], f = gate[h + j], g = gate[2 * h + j], o = gate[3 * h + j], tc = tanhCell[j], dH = dh[j];
            float dC = dc[j] + dH * o * (1f - tc * tc);
            float cPrev = first ? 0f : previousCell[j];
            dGate[j] = dC * g * i * (1f - i);
            dGate[h + j] = dC * cPrev * f * (1f - f);
            dGate[2 * h + j] = dC * i * (1f - g * g);
            dGate[3 * h + j] = dH * tc * o * (1f - o);
            dc[j] = dC * f;
        }
    }

    private static void Check(int length, long needed, string argument) => RecurrentSequence.Check(length, needed, argument, Layer);

    /// <summary>
    /// Where each time-major sequence lies in the scratch of a batch. With an initial state, c0
    /// sits just before the cells and h0 just before the hidden states, so that "the states of
    /// the previous step" is one span for every step.
    /// </summary>
    private readonly struct Layout
    {
        private readonly int _features, _hidden, _step, _initial;

        public Layout(int batch, int steps, int features, int hidden, bool initialState)
        {
            _features = features;
            _hidden = hidden;
            Rows = steps * batch;
            Gates = 4 * hidden;
            _step = batch * hidden;
            _initial = initialState ? _step : 0;
        }

        public int Rows { get; }
        public int Gates { get; }
        public long Total => (long)Rows * (_features + 7 * _hidden) + 2L * _initial;

        private int CellsStart => Rows * (_features + Gates) + _initial;
        private int HiddenStart => CellsStart + 2 * Rows * _hidden + _initial;

        public Span<float> Inputs(Span<float> s) => s.Slice(0, Rows * _features);
        public ReadOnlySpan<float> Inputs(ReadOnlySpan<float> s) => s.Slice(0, Rows * _features);
        public Span<float> GateValues(Span<float> s) => s.Slice(Rows * _features, Rows * Gates);
        public ReadOnlySpan<float> GateValues(ReadOnlySpan<float> s) => s.Slice(Rows * _features, Rows * Gates);
        public Span<float> InitialCell(Span<float> s) => s.Slice(CellsStart - _initial, _initial);
        public Span<float> Cells(Span<float> s) => s.Slice(CellsStart, Rows * _hidden);
        /// <summary>Row t (of batch · hidden) is the cell state before step t: c0 (when kept) and then step t-1's. Without an initial state row 0 is not the state's, and is never read.</summary>
        public ReadOnlySpan<float> PreviousCells(ReadOnlySpan<float> s) => s.Slice(CellsStart - _step, Rows * _hidden);
        public Span<float> TanhCells(Span<float> s) => s.Slice(CellsStart + Rows * _hidden, Rows * _hidden);
        public ReadOnlySpan<float> TanhCells(ReadOnlySpan<float> s) => s.Slice(CellsStart + Rows * _hidden, Rows * _hidden);
        public Span<float> InitialHidden(Span<float> s) => s.Slice(HiddenStart - _initial, _initial);
        public Span<float> Hidden(Span<float> s) => s.Slice(HiddenStart, Rows * _hidden);
        /// <summary>Row t is the hidden state before step t, as <see cref="PreviousCells"/>.</summary>
        public ReadOnlySpan<float> PreviousHidden(ReadOnlySpan<float> s) => s.Slice(HiddenStart - _step, Rows * _hidden);
    }
}
