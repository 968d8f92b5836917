using System;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>
/// The shared optimizer check: three steps on a 3-element vector with fixed gradients,
/// compared against scalar double-precision references of the torch.optim formulas.
/// </summary>
internal static class ThreeStepProblem
{
    public static readonly float[] InitialParameters = [0.5f, -1.25f, 2.0f];

    public static readonly float[][] GradientsPerStep =
    [
        [0.1f, -0.2f, 0.3f],
        [-0.4f, 0.05f, 0.25f],
        [0.35f, 0.6f, -0.15f],
    ];

    public const double RelativeTolerance = 1e-6;

    /// <summary>The trajectory of <paramref name="optimizer"/>: parameters after each of the three steps.</summary>
    public static float[][] Run(IOptimizer optimizer)
    {
        float[] parameters = (float[])InitialParameters.Clone();
        var trajectory = new float[GradientsPerStep.Length][];
        for (int step = 0; step < GradientsPerStep.Length; step++)
        {
            optimizer.Step(parameters, GradientsPerStep[step]);
            trajectory[step] = (float[])parameters.Clone();
        }

        return trajectory;
    }

    /// <summary>
    /// Runs a scalar reference update. <paramref name="update"/> receives the step number
    /// (1-based), the element index, the current parameter and its gradient, and returns
    /// the new parameter; per-element state lives in the closure.
    /// </summary>
    public static double[][] Reference(Func<int, int, double, double, double> update)
    {
        double[] parameters = Array.ConvertAll(InitialParameters, value => (double)value);
        var trajectory = new double[GradientsPerStep.Length][];
        for (int step = 0; step < GradientsPerStep.Length; step++)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] = update(step + 1, i, parameters[i], GradientsPerStep[step][i]);
            }

            trajectory[step] = (double[])parameters.Clone();
        }

        return trajectory;
    }

    public static void AssertMatches(double[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int step = 0; step < expected.Length; step++)
        {
            for (int i = 0; i < expected[step].Length; i++)
            {
                double error = Math.Abs(actual[step][i] - expected[step][i]);
                Assert.True(
                    error <= RelativeTolerance * Math.Abs(expected[step][i]),
                    $"step {step + 1}, element {i}: expected {expected[step][i]:R}, got {actual[step][i]:R}");
            }
        }
    }

    /// <summary>Guards the fixture itself: a run must move every parameter noticeably.</summary>
    public static void AssertMoved(float[][] trajectory)
    {
        for (int i = 0; i < InitialParameters.Length; i++)
        {
            Assert.True(Math.Abs(trajectory[^1][i] - InitialParameters[i]) > 1e-3, $"element {i} barely moved");
        }
    }
}
