using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// torch.optim.Adagrad (no learning-rate decay, zero initial accumulator):
/// s += g², p -= lr * g / (sqrt(s) + eps).
/// </summary>
public sealed class Adagrad : OptimizerBase
{
    private float[] squaredGradientSum = [];
    private float[] decayedGradients = [];
    private float[] work = [];

    public Adagrad(float lr = 0.01f, float eps = 1e-10f, float weightDecay = 0)
        : base(lr)
    {
        Epsilon = OptimizerArguments.Epsilon(eps, nameof(eps));
        WeightDecay = OptimizerArguments.WeightDecay(weightDecay, nameof(weightDecay));
    }

    public float Epsilon { get; }

    public float WeightDecay { get; }

    public override string Kind => "adagrad";

    protected override IReadOnlyDictionary<string, float[]> PersistentState() =>
        new Dictionary<string, float[]> { ["sum"] = squaredGradientSum };

    protected override void AllocateState(int length)
    {
        squaredGradientSum = new float[length];
        decayedGradients = WeightDecay == 0 ? [] : new float[length];
        work = new float[length];
    }

    protected override void ClearState() => Array.Clear(squaredGradientSum);

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        ReadOnlySpan<float> direction = WithWeightDecay(gradients, parameters, WeightDecay, decayedGradients);
        TensorPrimitives.MultiplyAdd(direction, direction, squaredGradientSum, squaredGradientSum);

        TensorPrimitives.Sqrt(squaredGradientSum, work);
        TensorPrimitives.Add(work, Epsilon, work);
        TensorPrimitives.Divide(direction, work, work);
        TensorPrimitives.MultiplyAdd(work, -LearningRate, parameters, parameters);
    }
}
