using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// Heavy-ball momentum, torch.optim.SGD(momentum=beta, dampening=0):
/// b = beta * b + g (b = g on the first step), p -= lr * b.
/// </summary>
public sealed class Momentum : OptimizerBase
{
    private float[] velocity = [];
    private float[] decayedGradients = [];

    public Momentum(float lr, float beta = 0.9f, float weightDecay = 0)
        : base(lr)
    {
        Beta = OptimizerArguments.DecayRate(beta, nameof(beta));
        WeightDecay = OptimizerArguments.WeightDecay(weightDecay, nameof(weightDecay));
    }

    public float Beta { get; }

    public float WeightDecay { get; }

    public override string Kind => "momentum";

    protected override IReadOnlyDictionary<string, float[]> PersistentState() =>
        new Dictionary<string, float[]> { ["momentum_buffer"] = velocity };

    protected override void AllocateState(int length)
    {
        velocity = new float[length];
        decayedGradients = WeightDecay == 0 ? [] : new float[length];
    }

    protected override void ClearState() => Array.Clear(velocity);

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        ReadOnlySpan<float> direction = WithWeightDecay(gradients, parameters, WeightDecay, decayedGradients);
        if (StepCount == 1)
        {
            direction.CopyTo(velocity);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, Beta, direction, velocity);
        }

        TensorPrimitives.MultiplyAdd(velocity, -LearningRate, parameters, parameters);
    }
}
