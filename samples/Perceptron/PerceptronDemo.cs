using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;

namespace ModelC.Samples.Perceptron;

/// <summary>
/// The perceptron learning rule (PLA) driven through a compiled model: visit the examples in
/// order, one SGD step each, until a whole pass makes no mistake. Written against
/// <see cref="IModel"/> so the sample (generated class) and the tests (runtime-compiled
/// model text) run the same code.
/// </summary>
public static class PerceptronDemo
{
    public static PerceptronRun Run(IModel model, SeparableData data, int maxEpochs = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (maxEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(maxEpochs), maxEpochs, "At least one epoch is needed.");
        RequireShape(model);

        double updateBound = NovikoffBound(data, ReadLine(model));
        var example = new ModelData();
        var mistakesPerEpoch = new List<int>();
        bool converged = false;
        while (!converged && mistakesPerEpoch.Count < maxEpochs)
        {
            int mistakes = 0;
            for (int i = 0; i < data.Count; i++)
            {
                example.Set("x", data.Features.AsMemory(2 * i, 2)).Set("y", data.Labels.AsMemory(i, 1));
                // The loss max(0, -y·s) is positive exactly when the example is misclassified,
                // and then (only then) the step moves the weights.
                if (model.TrainStep(example) > 0)
                    mistakes++;
            }

            mistakesPerEpoch.Add(mistakes);
            converged = mistakes == 0;
        }

        return new PerceptronRun(
            Updates: mistakesPerEpoch.Sum(),
            Epochs: mistakesPerEpoch.Count,
            MistakesPerEpoch: mistakesPerEpoch,
            Converged: converged,
            Line: ReadLine(model),
            TrainingErrors: CountErrors(model, data),
            UpdateBound: updateBound);
    }

    /// <summary>Points on the wrong side of, or exactly on, the model's line.</summary>
    public static int CountErrors(IModel model, SeparableData data)
    {
        var scores = new float[data.Count];
        model.Forward(new ModelData().Set("x", data.Features).Set("score", scores), training: false);
        int errors = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (data.Labels[i] * scores[i] <= 0)
                errors++;
        }

        return errors;
    }

    /// <summary>
    /// Novikoff's theorem with the bias folded in (x̃ = [x1, x2, 1]) and a non-zero start W0:
    /// the updates k satisfy k·γ − ‖W0‖ ≤ √(‖W0‖² + k·R²), hence k ≤ (R/γ)² + 2‖W0‖/γ, where
    /// γ is the margin of the unit-normalized true separator in the augmented space and R = max ‖x̃‖.
    /// </summary>
    public static double NovikoffBound(SeparableData data, (float W1, float W2, float B) start)
    {
        var (u1, u2, ub) = SeparableData.TrueLine;
        double norm = Math.Sqrt(u1 * u1 + u2 * u2 + ub * ub);
        double gamma = double.PositiveInfinity, radius = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double x1 = data.Features[2 * i], x2 = data.Features[2 * i + 1];
            gamma = Math.Min(gamma, data.Labels[i] * (u1 * x1 + u2 * x2 + ub) / norm);
            radius = Math.Max(radius, Math.Sqrt(x1 * x1 + x2 * x2 + 1));
        }

        double startNorm = Math.Sqrt((double)start.W1 * start.W1 + (double)start.W2 * start.W2 + (double)start.B * start.B);
        return (radius / gamma) * (radius / gamma) + 2 * startNorm / gamma;
    }

    private static (float W1, float W2, float B) ReadLine(IModel model)
    {
        ReadOnlySpan<float> weight = model.Parameter("fc.weight"), bias = model.Parameter("fc.bias");
        return (weight[0], weight[1], bias[0]);
    }

    private static void RequireShape(IModel model)
    {
        bool fits = model.Inputs.Count == 1 && model.Inputs[0] is { Name: "x", Size: 2 }
            && model.Targets.Count == 1 && model.Targets[0] is { Name: "y", Size: 1 }
            && model.Outputs.Any(o => o is { Name: "score", Size: 1 });
        if (!fits)
            throw new ArgumentException($"Model '{model.Name}' must have input x : float[2], target y : float[1] and output score : float[1].", nameof(model));
    }
}
