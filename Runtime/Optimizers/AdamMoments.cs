using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// The moment estimates Adam and AdamW share, and the bias-corrected step exactly as
/// torch.optim.Adam computes it: step_size = lr / (1 - beta1^t),
/// denom = sqrt(v) / sqrt(1 - beta2^t) + eps, p -= step_size * m / denom.
/// </summary>
internal sealed class AdamMoments
{
    private readonly float beta1;
    private readonly float beta2;
    private readonly float oneMinusBeta1;
    private readonly float oneMinusBeta2;
    private readonly float epsilon;
    private float[] firstMoment = [];
    private float[] secondMoment = [];
    private float[] work = [];

    public AdamMoments(float beta1, float beta2, float epsilon)
    {
        this.beta1 = beta1;
        this.beta2 = beta2;
        oneMinusBeta1 = 1 - beta1;
        oneMinusBeta2 = 1 - beta2;
        this.epsilon = epsilon;
    }

    public void Allocate(int length)
    {
        firstMoment = new float[length];
        secondMoment = new float[length];
        work = new float[length];
    }

    /// <summary>The moments under torch.optim.Adam's state names, as the live arrays.</summary>
    public IReadOnlyDictionary<string, float[]> State() =>
        new Dictionary<string, float[]> { ["exp_avg"] = firstMoment, ["exp_avg_sq"] = secondMoment };

    public void Clear()
    {
        Array.Clear(firstMoment);
        Array.Clear(secondMoment);
    }

    public void Step(Span<float> parameters, ReadOnlySpan<float> direction, float learningRate, int step)
    {
        // Like torch, the bias corrections are computed in double and rounded once.
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        float stepSize = (float)(learningRate / biasCorrection1);
        float biasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2);

        if (Kernels.OptimizerKernels.TryAdamStep(parameters, direction, firstMoment, secondMoment, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, biasCorrection2Sqrt, epsilon))
        {
            return;
        }

        TensorPrimitives.Lerp(firstMoment, direction, oneMinusBeta1, firstMoment);
        TensorPrimitives.Multiply(secondMoment, beta2, secondMoment);
        TensorPrimitives.Multiply(direction, direction, work);
        TensorPrimitives.MultiplyAdd(work, oneMinusBeta2, secondMoment, secondMoment);
        TensorPrimitives.Sqrt(secondMoment, work);
        TensorPrimitives.Divide(work, biasCorrection2Sqrt, work);
        TensorPrimitives.Add(work, epsilon, work);
        TensorPrimitives.Divide(firstMoment, work, work);
        TensorPrimitives.MultiplyAdd(work, -stepSize, parameters, parameters);
    }
}
