using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>Plain gradient descent, torch.optim.SGD without momentum: p -= lr * (g + wd * p).</summary>
public sealed class Sgd : OptimizerBase
{
    private float[] decayedGradients = [];

    public Sgd(float lr, float weightDecay = 0)
        : base(lr)
    {
        WeightDecay = OptimizerArguments.WeightDecay(weightDecay, nameof(weightDecay));
    }

    public float WeightDecay { get; }

    public override string Kind => "sgd";

    protected override IReadOnlyDictionary<string, float[]> PersistentState() =>
        new Dictionary<string, float[]>();

    protected override void AllocateState(int length)
    {
        decayedGradients = WeightDecay == 0 ? [] : new float[length];
    }

    protected override void ClearState()
    {
    }

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        ReadOnlySpan<float> direction = WithWeightDecay(gradients, parameters, WeightDecay, decayedGradients);
        TensorPrimitives.MultiplyAdd(direction, -LearningRate, parameters, parameters);
    }
}
