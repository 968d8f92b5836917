using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// torch.optim.Adadelta: v = rho * v + (1 - rho) * g²; d = sqrt(u + eps) / sqrt(v + eps) * g;
/// u = rho * u + (1 - rho) * d²; p -= lr * d. PyTorch's defaults (lr 1, rho 0.9, eps 1e-6) are
/// the pytorch/examples MNIST setting.
/// </summary>
public sealed class Adadelta : OptimizerBase
{
    private readonly float oneMinusRho;
    private float[] squaredGradientAverage = [];
    private float[] squaredDeltaAverage = [];
    private float[] decayedGradients = [];
    private float[] delta = [];
    private float[] work = [];

    public Adadelta(float lr = 1f, float rho = 0.9f, float eps = 1e-6f, float weightDecay = 0)
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

    public override string Kind => "adadelta";

    protected override IReadOnlyDictionary<string, float[]> PersistentState() =>
        new Dictionary<string, float[]> { ["square_avg"] = squaredGradientAverage, ["acc_delta"] = squaredDeltaAverage };

    protected override void AllocateState(int length)
    {
        squaredGradientAverage = new float[length];
        squaredDeltaAverage = new float[length];
        decayedGradients = WeightDecay == 0 ? [] : new float[length];
        delta = new float[length];
        work = new float[length];
    }

    protected override void ClearState()
    {
        Array.Clear(squaredGradientAverage);
        Array.Clear(squaredDeltaAverage);
    }

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        ReadOnlySpan<float> direction = WithWeightDecay(gradients, parameters, WeightDecay, decayedGradients);
        TensorPrimitives.Multiply(squaredGradientAverage, Rho, squaredGradientAverage);
        TensorPrimitives.Multiply(direction, direction, work);
        TensorPrimitives.MultiplyAdd(work, oneMinusRho, squaredGradientAverage, squaredGradientAverage);

        // d = sqrt(u + eps) / sqrt(v + eps) * g, with torch's order of operations.
        TensorPrimitives.Add(squaredGradientAverage, Epsilon, work);
        TensorPrimitives.Sqrt(work, work);
        TensorPrimitives.Add(squaredDeltaAverage, Epsilon, delta);
        TensorPrimitives.Sqrt(delta, delta);
        TensorPrimitives.Divide(delta, work, delta);
        TensorPrimitives.Multiply(delta, direction, delta);

        TensorPrimitives.Multiply(squaredDeltaAverage, Rho, squaredDeltaAverage);
        TensorPrimitives.Multiply(delta, delta, work);
        TensorPrimitives.MultiplyAdd(work, oneMinusRho, squaredDeltaAverage, squaredDeltaAverage);
        TensorPrimitives.MultiplyAdd(delta, -LearningRate, parameters, parameters);
    }
}
