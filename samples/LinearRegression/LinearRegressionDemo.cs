using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Classical;

namespace ModelC.Samples.LinearRegression;

/// <summary>
/// Fits the same plane twice: by full-batch gradient descent on a compiled model, stopping when
/// the gradient vanishes, and by the closed-form least-squares solution (QR). Written against
/// <see cref="IModel"/> so the sample and the tests run the same code.
/// </summary>
public static class LinearRegressionDemo
{
    public static LinearComparison Run(IModel model, LinearData data, double gradientTolerance = 1e-5, int maxSteps = 10_000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (!(gradientTolerance > 0))
            throw new ArgumentOutOfRangeException(nameof(gradientTolerance), gradientTolerance, "The tolerance must be > 0.");
        if (maxSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "At least one step is needed.");

        var batch = new ModelData().Set("x", data.Features).Set("y", data.Targets);
        var history = new List<LossAtStep>();
        int steps = 0;
        bool converged = false;
        while (!converged && steps < maxSteps)
        {
            // TrainStep reports the loss and gradient at the parameters before its update.
            float loss = model.TrainStep(batch);
            if (IsCheckpoint(steps))
                history.Add(new LossAtStep(steps, loss));
            converged = MaxAbs(model.Gradients) < gradientTolerance;
            steps++;
        }

        float finalLoss = model.Loss(batch);
        history.Add(new LossAtStep(steps, finalLoss));

        var closedForm = LeastSquaresRegression.Fit(data.FeatureRows(), data.TargetValues());
        double closedFormMse = MeanSquaredError(closedForm.Predict(data.FeatureRows()), data.TargetValues());
        return new LinearComparison(
            GradientDescent: ReadPlane(model),
            ClosedForm: new PlaneFit(closedForm.Coefficients[0], closedForm.Coefficients[1], closedForm.Intercept),
            GradientDescentMse: finalLoss,
            ClosedFormMse: closedFormMse,
            ClosedFormRSquared: closedForm.RSquared,
            Steps: steps,
            Converged: converged,
            History: history);
    }

    // Dense early, where the loss drops fast, then every hundredth step.
    private static bool IsCheckpoint(int step) => step <= 2 || step is 5 or 10 or 20 or 50 || (step % 100 == 0);

    private static double MaxAbs(ReadOnlySpan<float> values)
    {
        double largest = 0;
        foreach (float v in values)
            largest = Math.Max(largest, Math.Abs(v));
        return largest;
    }

    private static double MeanSquaredError(double[] predictions, double[] targets) =>
        predictions.Zip(targets, (p, t) => (p - t) * (p - t)).Average();

    private static PlaneFit ReadPlane(IModel model)
    {
        ReadOnlySpan<float> weight = model.Parameter("fc.weight"), bias = model.Parameter("fc.bias");
        return new PlaneFit(weight[0], weight[1], bias[0]);
    }
}
