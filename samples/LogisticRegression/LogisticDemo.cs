using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;

namespace ModelC.Samples.LogisticRegression;

/// <summary>
/// Mini-batch training of a logistic regression with the batch size and epoch count of the
/// model's train block, reshuffling every epoch, then evaluation on held-out data. Written
/// against <see cref="IModel"/> so the sample and the tests run the same code.
/// </summary>
public static class LogisticDemo
{
    private const int SampleCount = 6;

    public static LogisticRun Run(IModel model, TwoBlobs data, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        RequireShape(model);

        int batchSize = model.TrainingDefaults.Batch ?? 32;
        int epochs = model.TrainingDefaults.Epochs ?? 30;
        var training = data.Training;
        var order = Enumerable.Range(0, training.Count).ToArray();
        var shuffler = new ModelRandom(seed);
        var batchFeatures = new float[batchSize * 2];
        var batchLabels = new float[batchSize];
        var batch = new ModelData();
        var history = new List<EpochStats>();

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            shuffler.Shuffle(order.AsSpan());
            for (int start = 0; start < training.Count; start += batchSize)
            {
                // The last batch of an epoch may be smaller; its loss is still a mean, so the step size holds.
                int size = Math.Min(batchSize, training.Count - start);
                for (int k = 0; k < size; k++)
                {
                    int row = order[start + k];
                    batchFeatures[2 * k] = training.Features[2 * row];
                    batchFeatures[2 * k + 1] = training.Features[2 * row + 1];
                    batchLabels[k] = training.Labels[row];
                }

                batch.Set("x", batchFeatures.AsMemory(0, 2 * size)).Set("y", batchLabels.AsMemory(0, size));
                model.TrainStep(batch);
            }

            history.Add(new EpochStats(epoch, Loss(model, training), Accuracy(Probabilities(model, training), training), Accuracy(Probabilities(model, data.Test), data.Test)));
        }

        double[] testProbabilities = Probabilities(model, data.Test);
        var samples = Enumerable.Range(0, Math.Min(SampleCount, data.Test.Count))
            .Select(i => new Prediction(data.Test.Features[2 * i], data.Test.Features[2 * i + 1], (int)data.Test.Labels[i], testProbabilities[i]))
            .ToList();
        return new LogisticRun(
            history,
            ReadCoefficients(model),
            Accuracy(Probabilities(model, training), training),
            Accuracy(testProbabilities, data.Test),
            BayesRuleAccuracy(data.Test),
            batchSize,
            samples);
    }

    /// <summary>P(y = 1 | x) for every row, from the model's <c>probability</c> output.</summary>
    public static double[] Probabilities(IModel model, TwoBlobs.Split split)
    {
        var logits = new float[split.Count];
        var probabilities = new float[split.Count];
        model.Forward(new ModelData().Set("x", split.Features).Set("logit", logits).Set("probability", probabilities), training: false);
        return Array.ConvertAll(probabilities, p => (double)p);
    }

    private static double Loss(IModel model, TwoBlobs.Split split) =>
        model.Loss(new ModelData().Set("x", split.Features).Set("y", split.Labels));

    private static double Accuracy(double[] probabilities, TwoBlobs.Split split)
    {
        int correct = 0;
        for (int i = 0; i < split.Count; i++)
        {
            if ((probabilities[i] >= 0.5 ? 1f : 0f) == split.Labels[i])
                correct++;
        }

        return (double)correct / split.Count;
    }

    private static double BayesRuleAccuracy(TwoBlobs.Split split)
    {
        var (w1, w2, b) = TwoBlobs.BayesLogOdds;
        int correct = 0;
        for (int i = 0; i < split.Count; i++)
        {
            double logOdds = w1 * split.Features[2 * i] + w2 * split.Features[2 * i + 1] + b;
            if ((logOdds >= 0 ? 1f : 0f) == split.Labels[i])
                correct++;
        }

        return (double)correct / split.Count;
    }

    private static (double W1, double W2, double B) ReadCoefficients(IModel model)
    {
        ReadOnlySpan<float> weight = model.Parameter("linear.weight"), bias = model.Parameter("linear.bias");
        return (weight[0], weight[1], bias[0]);
    }

    private static void RequireShape(IModel model)
    {
        bool fits = model.Inputs.Count == 1 && model.Inputs[0] is { Name: "x", Size: 2 }
            && model.Targets.Count == 1 && model.Targets[0] is { Name: "y", Size: 1 }
            && model.Outputs.Select(o => (o.Name, o.Size)).SequenceEqual(new[] { ("logit", 1), ("probability", 1) });
        if (!fits)
            throw new ArgumentException($"Model '{model.Name}' must have input x : float[2], target y : float[1] and outputs logit and probability of size 1.", nameof(model));
    }
}
