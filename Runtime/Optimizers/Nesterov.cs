using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// Nesterov momentum, torch.optim.SGD(momentum=beta, dampening=0, nesterov=True):
/// b = beta * b + g (b = g on the first step), p -= lr * (g + beta * b).
/// </summary>
public sealed class Nesterov : OptimizerBase
{
    private float[] velocity = [];
    private float[] lookAhead = [];

    public Nesterov(float lr, float beta = 0.9f, float weightDecay = 0)
        : base(lr)
    {
        Beta = OptimizerArguments.DecayRate(beta, nameof(beta));
        WeightDecay = OptimizerArguments.WeightDecay(weightDecay, nameof(weightDecay));
    }

    public float Beta { get; }

    public float WeightDecay { get; }

    public override string Kind => "nesterov";

    protected override IReadOnlyDictionary<string, float[]> PersistentState() =>
        new Dictionary<string, float[]> { ["momentum_buffer"] = velocity };

    protected override void AllocateState(int length)
    {
        velocity = new float[length];
        lookAhead = new float[length];
    }

    protected override void ClearState() => Array.Clear(velocity);

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        // The decayed gradient and the look-ahead direction share one buffer: each
        // element is read before it is overwritten.
        ReadOnlySpan<float> direction = WithWeightDecay(gradients, parameters, WeightDecay, lookAhead);
        if (StepCount == 1)
        {
            direction.CopyTo(velocity);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, Beta, direction, velocity);
        }

        TensorPrimitives.MultiplyAdd(velocity, Beta, direction, lookAhead);
        TensorPrimitives.MultiplyAdd(lookAhead, -LearningRate, parameters, parameters);
    }
}
