using System.Collections.Generic;

namespace ModelC.Samples.LinearRegression;

/// <summary>Coefficients of y ≈ w1 x1 + w2 x2 + b.</summary>
public readonly record struct PlaneFit(double W1, double W2, double B)
{
    /// <summary>The largest coefficient difference between two fits.</summary>
    public double MaxDifference(PlaneFit other) =>
        System.Math.Max(System.Math.Abs(W1 - other.W1), System.Math.Max(System.Math.Abs(W2 - other.W2), System.Math.Abs(B - other.B)));
}

/// <summary>The training loss after a given number of gradient steps.</summary>
public readonly record struct LossAtStep(int Step, double Loss);

/// <summary>Gradient descent against the closed-form least-squares solution on one data set.</summary>
/// <param name="Steps">Gradient steps taken until the gradient fell below the tolerance.</param>
/// <param name="Converged">Whether it did so within the step limit.</param>
/// <param name="History">The loss at a few steps, the last being the final one.</param>
public sealed record LinearComparison(
    PlaneFit GradientDescent,
    PlaneFit ClosedForm,
    double GradientDescentMse,
    double ClosedFormMse,
    double ClosedFormRSquared,
    int Steps,
    bool Converged,
    IReadOnlyList<LossAtStep> History);
