using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// The <c>max_norm(c)</c> weight constraint, applied after an optimizer step: every row
/// (slice along the first axis) of every weight tensor whose L2 norm exceeds c is scaled
/// by c / (norm + 1e-7), exactly as <c>torch.renorm(w, 2, 0, c)</c> and Keras'
/// <c>max_norm</c> do. Only parameters of rank 2 or more are constrained: like Keras,
/// which applies max_norm to kernels, biases (rank 1) are left alone, since a bias row is
/// a single number and clipping it would only cap the offset, not the unit's gain.
/// </summary>
public static class MaxNorm
{
    // torch.renorm and Keras' max_norm both add this to the norm before dividing.
    private const float NormEpsilon = 1e-7f;

    /// <summary>Constrains the rows of every weight tensor of <paramref name="model"/>.</summary>
    public static void Apply(IModel model, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(model);
        Apply(model.Parameters, model.ParameterInfos, maxNorm);
    }

    /// <summary>Constrains the rows of every parameter of rank 2 or more laid out by <paramref name="infos"/>.</summary>
    public static void Apply(Span<float> parameters, IReadOnlyList<ParameterInfo> infos, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(infos);
        CheckMaxNorm(maxNorm);
        foreach (ParameterInfo info in infos)
        {
            if (info.Shape.Length < 2 || info.Length == 0)
            {
                continue;
            }

            if ((long)info.Offset + info.Length > parameters.Length)
            {
                throw new ArgumentException(
                    $"Parameter {info} lies at [{info.Offset}, {info.Offset + info.Length}) but there are only {parameters.Length} parameters.",
                    nameof(infos));
            }

            RenormRows(parameters.Slice(info.Offset, info.Length), info.Length / info.Shape[0], maxNorm);
        }
    }

    /// <summary>
    /// Scales each run of <paramref name="rowLength"/> elements of <paramref name="tensor"/>
    /// whose L2 norm exceeds <paramref name="maxNorm"/> back to (just under) that norm.
    /// </summary>
    public static void RenormRows(Span<float> tensor, int rowLength, float maxNorm)
    {
        CheckMaxNorm(maxNorm);
        if (rowLength <= 0 || tensor.Length % rowLength != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, $"The row length must be > 0 and divide the tensor's {tensor.Length} elements.");
        }

        for (int start = 0; start < tensor.Length; start += rowLength)
        {
            Span<float> row = tensor.Slice(start, rowLength);
            float norm = TensorPrimitives.Norm((ReadOnlySpan<float>)row);
            if (norm > maxNorm)
            {
                TensorPrimitives.Multiply(row, maxNorm / (norm + NormEpsilon), row);
            }
        }
    }

    private static void CheckMaxNorm(float maxNorm)
    {
        if (!float.IsFinite(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum row norm must be a finite number > 0.");
        }
    }
}
