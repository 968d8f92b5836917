using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// torch.optim.RMSprop (alpha = rho, not centered, no momentum):
/// v = rho * v + (1 - rho) * g², p -= lr * g / (sqrt(v) + eps).
/// </summary>
public sealed class RmsProp : OptimizerBase
{
    private readonly float oneMinusRho;
    private float[] squaredGradientAverage = [];
    private float[] decayedGradients = [];
    private float[] work = [];

    public RmsProp(float lr = 0.01f, float rho = 0.99f, float eps = 1e-8f, float weightDecay = 0)
        : base(lr)
    {
        Rho = OptimizerArguments.DecayRate(rho, nameof(rho));
        Epsilon = OptimizerArguments.Epsilon(eps, nameof(eps));
        WeightDecay = OptimizerArguments.WeightDecay(weightDecay, nameof(weightDecay));
        oneMinusRho = 1 - rho;
    }

    public float Rho { get; }

    public float Epsilon { get; }

    public float WeightDecay { get; }

    public override string Kind => "rmsprop";

    protected override IReadOnlyDictionary<string, float[]> PersistentState() =>
        new Dictionary<string, float[]> { ["square_avg"] = squaredGradientAverage };

    protected override void AllocateState(int length)
    {
        squaredGradientAverage = new float[length];
        decayedGradients = WeightDecay == 0 ? [] : new float[length];
        work = new float[length];
    }

    protected override void ClearState() => Array.Clear(squaredGradientAverage);

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        ReadOnlySpan<float> direction = WithWeightDecay(gradients, parameters, WeightDecay, decayedGradients);
        TensorPrimitives.Multiply(squaredGradientAverage, Rho, squaredGradientAverage);
        TensorPrimitives.Multiply(direction, direction, work);
        TensorPrimitives.MultiplyAdd(work, oneMinusRho, squaredGradientAverage, squaredGradientAverage);

        TensorPrimitives.Sqrt(squaredGradientAverage, work);
        TensorPrimitives.Add(work, Epsilon, work);
        TensorPrimitives.Divide(direction, work, work);
        TensorPrimitives.MultiplyAdd(work, -LearningRate, parameters, parameters);
    }
}
