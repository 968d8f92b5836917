using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Classical;

namespace ModelC.Samples.PolynomialRegression;

/// <summary>
/// Model selection by a validation set: trains one polynomial model per degree on the training
/// split and compares training and validation errors. Written against <see cref="IModel"/> so the
/// sample (generated classes) and the tests (runtime-compiled model text) run the same code.
/// </summary>
public static class PolynomialDemo
{
    /// <param name="modelForDegree">A fresh model of the given degree, 1 to <paramref name="maxDegree"/>.</param>
    /// <param name="trainingSteps">Full-batch optimizer steps per degree.</param>
    public static PolynomialSweep Run(Func<int, IModel> modelForDegree, PolynomialData data, int maxDegree = 12, int trainingSteps = 3_000)
    {
        ArgumentNullException.ThrowIfNull(modelForDegree);
        ArgumentNullException.ThrowIfNull(data);
        if (maxDegree < 1)
            throw new ArgumentOutOfRangeException(nameof(maxDegree), maxDegree, "At least degree 1 is needed.");
        if (trainingSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(trainingSteps), trainingSteps, "At least one step is needed.");

        var results = new List<DegreeResult>();
        var models = new Dictionary<int, IModel>();
        for (int degree = 1; degree <= maxDegree; degree++)
        {
            IModel model = modelForDegree(degree)
                ?? throw new ArgumentException($"No model was given for degree {degree}.", nameof(modelForDegree));
            var training = Batch(data.Training);
            for (int step = 0; step < trainingSteps; step++)
                model.TrainStep(training);
            models[degree] = model;

            var exact = LeastSquaresRegression.Fit(Powers(data.Training.Inputs, degree), ToDouble(data.Training.Targets));
            results.Add(new DegreeResult(
                degree,
                model.Loss(training),
                model.Loss(Batch(data.Validation)),
                MeanSquaredError(exact.Predict(Powers(data.Training.Inputs, degree)), data.Training.Targets),
                MeanSquaredError(exact.Predict(Powers(data.Validation.Inputs, degree)), data.Validation.Targets)));
        }

        int best = results.MinBy(r => r.ValidationMse)!.Degree;
        return new PolynomialSweep(results, best, models[best].Loss(Batch(data.Test)), trainingSteps);
    }

    private static ModelData Batch(PolynomialData.Split split) => new ModelData().Set("x", split.Inputs).Set("y", split.Targets);

    // The same features poly(x, d) computes, for the closed-form reference.
    private static double[][] Powers(float[] inputs, int degree) =>
        inputs.Select(x => Enumerable.Range(1, degree).Select(p => Math.Pow(x, p)).ToArray()).ToArray();

    private static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);

    private static double MeanSquaredError(double[] predictions, float[] targets) =>
        predictions.Zip(targets, (p, t) => (p - t) * (p - t)).Average();
}
