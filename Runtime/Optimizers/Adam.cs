using System;
using System.Collections.Generic;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// torch.optim.Adam (not amsgrad). Weight decay is L2-style: it is added to the gradient
/// before the moments see it. See <see cref="AdamW"/> for the decoupled form.
/// </summary>
public sealed class Adam : OptimizerBase
{
    private readonly AdamMoments moments;
    private float[] decayedGradients = [];

    public Adam(float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0)
        : base(lr)
    {
        Beta1 = OptimizerArguments.DecayRate(beta1, nameof(beta1));
        Beta2 = OptimizerArguments.DecayRate(beta2, nameof(beta2));
        Epsilon = OptimizerArguments.Epsilon(eps, nameof(eps));
        WeightDecay = OptimizerArguments.WeightDecay(weightDecay, nameof(weightDecay));
        moments = new AdamMoments(beta1, beta2, eps);
    }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    public float WeightDecay { get; }

    public override string Kind => "adam";

    protected override IReadOnlyDictionary<string, float[]> PersistentState() =>
        moments.State();

    protected override void AllocateState(int length)
    {
        moments.Allocate(length);
        decayedGradients = WeightDecay == 0 ? [] : new float[length];
    }

    protected override void ClearState() => moments.Clear();

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        ReadOnlySpan<float> direction = WithWeightDecay(gradients, parameters, WeightDecay, decayedGradients);
        moments.Step(parameters, direction, LearningRate, StepCount);
    }
}
