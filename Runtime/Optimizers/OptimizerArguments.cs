using System;

namespace ModelC.Runtime.Optimizers;

/// <summary>Validation shared by the optimizer constructors.</summary>
internal static class OptimizerArguments
{
    public static float LearningRate(float value, string name) =>
        float.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, "The learning rate must be a finite number >= 0.");

    public static float DecayRate(float value, string name) =>
        value >= 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(name, value, "A decay rate (beta, rho) must lie in [0, 1).");

    public static float Epsilon(float value, string name) =>
        float.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, "Epsilon must be a finite number > 0.");

    public static float WeightDecay(float value, string name) =>
        float.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(name, value, "The weight decay must be a finite number >= 0.");
}
