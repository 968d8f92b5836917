using System;
using System.Collections.Generic;
using ModelC.Runtime.Optimizers;
using MaxNormConstraint = ModelC.Runtime.Optimizers.MaxNorm;

namespace ModelC.Runtime.Training;

/// <summary>
/// The one optimizer step, after a backward pass: a generated model's <c>TrainStep</c> and the
/// <see cref="Trainer"/> both call it, so the two cannot drift apart.
/// </summary>
public static class TrainingStep
{
    /// <summary>
    /// Clips the gradients by value (<c>clip_value</c>), then by global norm (<c>clip_norm</c>),
    /// takes one optimizer step, then rescales weight rows longer than <c>max_norm</c>. Clipping
    /// values first means one exploding element is clamped before the norm is measured, so it does
    /// not shrink every other gradient with it; the result satisfies both bounds either way.
    /// In PyTorch: clip_grad_value_, clip_grad_norm_, optimizer.step(), then torch.renorm.
    /// </summary>
    public static void Apply(
        IOptimizer optimizer,
        Span<float> parameters,
        Span<float> gradients,
        IReadOnlyList<ParameterInfo> parameterInfos,
        float? clipValue,
        float? clipNorm,
        float? maxNorm)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (clipValue is { } limit)
        {
            GradientClipping.ClipValue(gradients, limit);
        }

        if (clipNorm is { } norm)
        {
            GradientClipping.ClipNorm(gradients, norm);
        }

        optimizer.Step(parameters, gradients);
        if (maxNorm is { } rowLimit)
        {
            MaxNormConstraint.Apply(parameters, parameterInfos, rowLimit);
        }
    }

    /// <summary>The same step with a model's train-block settings (<see cref="TrainingDefaults"/>).</summary>
    public static void Apply(IOptimizer optimizer, Span<float> parameters, Span<float> gradients, IReadOnlyList<ParameterInfo> parameterInfos, TrainingDefaults settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Apply(optimizer, parameters, gradients, parameterInfos, settings.ClipValue, settings.ClipNorm, settings.MaxNorm);
    }
}
