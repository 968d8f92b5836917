using System;
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
            if (StepCount > 0)
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

    /// <summary>Allocates every buffer the optimizer needs for <paramref name="length"/> parameters.</summary>
    protected abstract void AllocateState(int length);

    /// <summary>Zeroes the state that carries from step to step (scratch buffers need not be).</summary>
    protected abstract void ClearState();

    /// <summary>One update; <see cref="StepCount"/> already counts it.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients);

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
