using System;
using System.Numerics.Tensors;

namespace ModelC.Runtime.Optimizers;

/// <summary>Gradient clipping as torch.nn.utils applies it, on a flat gradient vector.</summary>
public static class GradientClipping
{
    // torch.nn.utils.clip_grad_norm_ adds this to the norm so that a zero gradient never divides by zero.
    private const float NormEpsilon = 1e-6f;

    /// <summary>
    /// Rescales <paramref name="gradients"/> by maxNorm / (norm + 1e-6) when that factor is
    /// below 1, as torch.nn.utils.clip_grad_norm_ does.
    /// </summary>
    /// <returns>The L2 norm of the gradients before clipping.</returns>
    public static float ClipNorm(Span<float> gradients, float maxNorm)
    {
        if (!float.IsFinite(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be a finite number > 0.");
        }

        // Long gradients are summed in blocks across the kernel threads (the same bits at any thread count).
        float norm = MathF.Sqrt(Kernels.VectorKernels.SumOfSquares(gradients));
        float scale = maxNorm / (norm + NormEpsilon);
        if (scale < 1)
        {
            TensorPrimitives.Multiply(gradients, scale, gradients);
        }

        return norm;
    }

    /// <summary>Clamps every gradient element into [-limit, limit], as torch.nn.utils.clip_grad_value_ does.</summary>
    public static void ClipValue(Span<float> gradients, float limit)
    {
        if (!float.IsFinite(limit) || limit <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The clipping limit must be a finite number > 0.");
        }

        TensorPrimitives.Clamp(gradients, -limit, limit, gradients);
    }
}
