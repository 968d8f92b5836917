using System;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// What the whole-sequence recurrent kernels (<see cref="LstmKernels"/>, <see cref="GruKernels"/>,
/// <see cref="RnnKernels"/>) share: moving sequences between the caller's batch-major layout
/// [batch, steps, ·] and the time-major one [steps, batch, ·] they work in, W_hh packed once per
/// pass, and the products that turn every step's gate gradients into weight and input gradients at
/// once. Step t of a pass reads time step Time(t): a reverse direction runs from the end.
/// </summary>
internal static unsafe class RecurrentSequence
{
    // W_hh packed once per pass for the step products (DenseKernels.PackWeight), one buffer per thread.
    [ThreadStatic] private static float* t_packedWeight;
    [ThreadStatic] private static long t_packedCapacity;

    /// <summary>The time step that step t of a pass reads.</summary>
    public static int Time(int t, int steps, bool reverse) => reverse ? steps - 1 - t : t;

    /// <summary>x [batch, steps, width] into time-major rows [steps, batch, width], in the pass's step order.</summary>
    public static void ToTimeMajor(ReadOnlySpan<float> x, Span<float> timeMajor, int batch, int steps, int width, bool reverse)
    {
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                x.Slice((b * steps + Time(t, steps, reverse)) * width, width).CopyTo(timeMajor.Slice((t * batch + b) * width, width));
    }

    /// <summary>y [batch, steps, width] += time-major rows, the inverse of <see cref="ToTimeMajor"/>.</summary>
    public static void AddFromTimeMajor(ReadOnlySpan<float> timeMajor, Span<float> y, int batch, int steps, int width, bool reverse)
    {
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
            {
                var row = y.Slice((b * steps + Time(t, steps, reverse)) * width, width);
                TensorPrimitives.Add(row, timeMajor.Slice((t * batch + b) * width, width), row);
            }
    }

    /// <summary>
    /// The parameter gradients of a pass from its time-major gate gradients: the input side's
    /// (inputGateGradients, paired with the inputs) and the recurrent side's (hiddenGateGradients,
    /// paired with the previous hidden states). They are the same span for every layer but the GRU,
    /// whose reset gate scales the recurrent part of its candidate. Steps before
    /// <paramref name="first"/> have no recurrent product (a zero initial state). Empty gradient
    /// spans are skipped.
    /// </summary>
    public static void AddParameterGradients(ReadOnlySpan<float> inputGateGradients, ReadOnlySpan<float> hiddenGateGradients,
        ReadOnlySpan<float> inputs, ReadOnlySpan<float> previousHidden,
        Span<float> weightIhGradient, Span<float> weightHhGradient, Span<float> biasIhGradient, Span<float> biasHhGradient,
        int batch, int steps, int features, int hidden, int gates, int first)
    {
        int rows = steps * batch;
        if (!biasIhGradient.IsEmpty) DenseKernels.AddColumnSums(inputGateGradients, biasIhGradient, rows, gates);
        if (!biasHhGradient.IsEmpty) DenseKernels.AddColumnSums(hiddenGateGradients, biasHhGradient, rows, gates);
        // dW_ih += dgatesᵀ x and dW_hh += dgates_tᵀ h_{t-1}, each over every step and example at once.
        if (!weightIhGradient.IsEmpty) DenseKernels.Multiply(inputGateGradients, 1, gates, inputs, weightIhGradient, gates, features, rows);
        if (!weightHhGradient.IsEmpty && steps > first)
            DenseKernels.Multiply(hiddenGateGradients.Slice(first * batch * gates), 1, gates, previousHidden.Slice(first * batch * hidden),
                weightHhGradient, gates, hidden, (steps - first) * batch);
    }

    /// <summary>xGradient [batch, steps, features] += dgates W_ih, through the free time-major room inputGradients.</summary>
    public static void AddInputGradient(ReadOnlySpan<float> inputGateGradients, ReadOnlySpan<float> weightIh, Span<float> inputGradients,
        Span<float> xGradient, int batch, int steps, int features, int gates, bool reverse, string layer)
    {
        if (xGradient.IsEmpty) return;
        int rows = steps * batch;
        Check(xGradient.Length, (long)rows * features, nameof(xGradient), layer);
        inputGradients = inputGradients.Slice(0, rows * features);
        inputGradients.Clear();
        DenseKernels.Multiply(inputGateGradients, gates, 1, weightIh, inputGradients, rows, features, gates);
        AddFromTimeMajor(inputGradients, xGradient, batch, steps, features, reverse);
    }

    /// <summary>Copies a given initial state into the scratch, or zeros it when none is given.</summary>
    public static void CopyOrClear(ReadOnlySpan<float> state, Span<float> into, int length, string argument, string layer)
    {
        if (state.IsEmpty)
        {
            into.Clear();
            return;
        }
        Check(state.Length, length, argument, layer);
        state.Slice(0, length).CopyTo(into);
    }

    /// <summary>Adds a state's gradient (dh or dc of h_{-1}) into the caller's span when one is given.</summary>
    public static void AddStateGradient(ReadOnlySpan<float> gradient, Span<float> into, string argument, string layer)
    {
        if (into.IsEmpty) return;
        Check(into.Length, gradient.Length, argument, layer);
        TensorPrimitives.Add(into.Slice(0, gradient.Length), gradient, into);
    }

    /// <summary>The weight packed for products of <paramref name="rows"/> rows of c (n x k), or null when such products do not pack.</summary>
    public static float* PackedWeight(ReadOnlySpan<float> weight, bool rowMajor, int rows, int n, int k)
    {
        if (!DenseKernels.Packs(rows)) return null;
        long size = DenseKernels.PackedWeightSize(n, k);
        if (size > t_packedCapacity)
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(t_packedWeight);
            t_packedWeight = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(size * sizeof(float)), 64);
            t_packedCapacity = size;
        }
        DenseKernels.PackWeight(weight, rowMajor, n, k, t_packedWeight);
        return t_packedWeight;
    }

    public static void Check(int length, long needed, string argument, string layer)
    {
        if (length < needed) throw new ArgumentException($"'{argument}' has {length} values but the {layer} needs {needed}", argument);
    }
}

/// <summary>
/// Where a GRU's or an RNN's time-major sequences lie in the scratch of a batch: the inputs, the
/// layer's own values (<paramref name="middle"/> floats), then h0 (room for it is kept without an
/// initial state too) just before the hidden states, so that "the states of the previous step"
/// is one span for every step and row 0 of it lies inside the scratch.
/// </summary>
internal readonly struct HiddenSequenceLayout
{
    private readonly int _features, _hidden, _middle;

    public HiddenSequenceLayout(int batch, int steps, int features, int hidden, int middle)
    {
        _features = features;
        _hidden = hidden;
        _middle = middle;
        Rows = steps * batch;
        Step = batch * hidden;
    }

    public int Rows { get; }
    /// <summary>One step's states: batch · hidden.</summary>
    public int Step { get; }
    private int MiddleStart => Rows * _features;
    private int HiddenStart => MiddleStart + _middle + Step;

    public Span<float> Inputs(Span<float> s) => s.Slice(0, Rows * _features);
    public ReadOnlySpan<float> Inputs(ReadOnlySpan<float> s) => s.Slice(0, Rows * _features);
    public Span<float> Middle(Span<float> s) => s.Slice(MiddleStart, _middle);
    public ReadOnlySpan<float> Middle(ReadOnlySpan<float> s) => s.Slice(MiddleStart, _middle);
    public Span<float> InitialHidden(Span<float> s) => s.Slice(HiddenStart - Step, Step);
    public Span<float> Hidden(Span<float> s) => s.Slice(HiddenStart, Rows * _hidden);
    public ReadOnlySpan<float> Hidden(ReadOnlySpan<float> s) => s.Slice(HiddenStart, Rows * _hidden);
    /// <summary>Row t (of batch · hidden) is the hidden state before step t: h0 and then step t-1's. Without an initial state row 0 is never read.</summary>
    public Span<float> PreviousHidden(Span<float> s) => s.Slice(HiddenStart - Step, Rows * _hidden);
    public ReadOnlySpan<float> PreviousHidden(ReadOnlySpan<float> s) => s.Slice(HiddenStart - Step, Rows * _hidden);
}
