using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// The bookkeeping every optimizer shares: learning-rate validation, the step counter,
/// length checks, and state allocated once, on the first step, sized to the parameters.
/// </summary>
public abstract class OptimizerBase : IOptimizer
{
    private float learningRate;
    private int stateLength = -1;

    protected OptimizerBase(float lr)
    {
        learningRate = OptimizerArguments.LearningRate(lr, nameof(lr));
    }

    public float LearningRate
    {
        get => learningRate;
        set => learningRate = OptimizerArguments.LearningRate(value, nameof(value));
    }

    /// <summary>Steps taken since construction or the last <see cref="Reset"/>; 1 during the first update.</summary>
    public int StepCount { get; private set; }

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException(
                $"The gradients have {gradients.Length} elements but the parameters have {parameters.Length}.",
                nameof(gradients));
        }

        if (stateLength != parameters.Length)
        {
            // An imported state without buffers (plain SGD) fixes no length; any length fits it.
            if (StepCount > 0 && stateLength >= 0)
            {
                throw new ArgumentException(
                    $"This optimizer holds state for {stateLength} parameters but was given {parameters.Length}; "
                    + "call Reset() before using it for another model.",
                    nameof(parameters));
            }

            AllocateState(parameters.Length);
            stateLength = parameters.Length;
        }

        StepCount++;
        Update(parameters, gradients);
    }

    public void Reset()
    {
        StepCount = 0;
        if (stateLength >= 0)
        {
            ClearState();
        }
    }

    /// <summary>The train block's name for this optimizer (<c>adam</c>, <c>sgd</c>, ...), recorded in its state.</summary>
    public abstract string Kind { get; }

    public OptimizerState ExportState()
    {
        var buffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (stateLength >= 0 && StepCount > 0)
        {
            foreach ((string name, float[] buffer) in PersistentState())
            {
                buffers.Add(name, (float[])buffer.Clone());
            }
        }

        return new OptimizerState(Kind, StepCount, buffers);
    }

    public void ImportState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind != Kind)
        {
            throw new ArgumentException($"The optimizer state is for '{state.Kind}' but this optimizer is '{Kind}'.", nameof(state));
        }

        if (state.StepCount < 0)
        {
            throw new ArgumentException($"The optimizer state's step count is {state.StepCount}; it must be >= 0.", nameof(state));
        }

        if (state.StepCount == 0)
        {
            if (state.Buffers.Count != 0)
            {
                throw new ArgumentException(
                    $"The optimizer state has taken no steps but holds buffers ({string.Join(", ", state.Buffers.Keys)}).", nameof(state));
            }

            Reset();
            return;
        }

        string[] expected = PersistentState().Keys.ToArray();
        string[] missing = expected.Where(name => !state.Buffers.ContainsKey(name)).ToArray();
        string[] extra = state.Buffers.Keys.Where(name => Array.IndexOf(expected, name) < 0).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
        {
            throw new ArgumentException(
                $"The '{Kind}' optimizer state does not have the buffers '{Kind}' needs ({Describe(expected)}): "
                + $"missing {Describe(missing)}, unexpected {Describe(extra)}.",
                nameof(state));
        }

        int length = state.Length;
        foreach ((string name, float[] buffer) in state.Buffers)
        {
            if (buffer.Length != length)
            {
                throw new ArgumentException(
                    $"The optimizer state's buffers differ in length: '{name}' has {buffer.Length} elements, others {length}.", nameof(state));
            }
        }

        if (expected.Length == 0)
        {
            // No buffers: the length is fixed by the next step's parameters.
            stateLength = -1;
        }
        else
        {
            AllocateState(length);
            stateLength = length;
            foreach ((string name, float[] buffer) in PersistentState())
            {
                state.Buffers[name].CopyTo(buffer, 0);
            }
        }

        StepCount = state.StepCount;
    }

    /// <summary>
    /// The buffers that carry from step to step, by PyTorch's state names, as the live arrays
    /// (empty before the first step). Scratch buffers are not listed.
    /// </summary>
    protected abstract IReadOnlyDictionary<string, float[]> PersistentState();

    /// <summary>Allocates every buffer the optimizer needs for <paramref name="length"/> parameters.</summary>
    protected abstract void AllocateState(int length);

    /// <summary>Zeroes the state that carries from step to step (scratch buffers need not be).</summary>
    protected abstract void ClearState();

    /// <summary>One update; <see cref="StepCount"/> already counts it.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients);

    private static string Describe(string[] names) => names.Length == 0 ? "none" : string.Join(", ", names);

    /// <summary>
    /// PyTorch's coupled (L2) weight decay, g + weightDecay * p, written into
    /// <paramref name="buffer"/>; the gradients themselves when there is no decay.
    /// </summary>
    protected static ReadOnlySpan<float> WithWeightDecay(
        ReadOnlySpan<float> gradients, ReadOnlySpan<float> parameters, float weightDecay, Span<float> buffer)
    {
        if (weightDecay == 0)
        {
            return gradients;
        }

        TensorPrimitives.MultiplyAdd(parameters, weightDecay, gradients, buffer);
        return buffer;
    }
}
