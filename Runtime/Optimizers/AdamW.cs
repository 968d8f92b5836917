using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// torch.optim.AdamW: decoupled weight decay shrinks the parameters, p *= 1 - lr * wd,
/// before the Adam step, so the decay never enters the moment estimates.
/// </summary>
public sealed class AdamW : OptimizerBase
{
    private readonly AdamMoments moments;

    public AdamW(float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f)
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

    public override string Kind => "adamw";

    protected override IReadOnlyDictionary<string, float[]> PersistentState() =>
        moments.State();

    protected override void AllocateState(int length) => moments.Allocate(length);

    protected override void ClearState() => moments.Clear();

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (WeightDecay != 0)
        {
            float shrink = (float)(1 - ((double)LearningRate * WeightDecay));
            TensorPrimitives.Multiply(parameters, shrink, parameters);
        }

        moments.Step(parameters, gradients, LearningRate, StepCount);
    }
}
