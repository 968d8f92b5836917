using System;
using System.Linq;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Training;

/// <summary>
/// Runs a model over a dataset in inference mode, batch by batch, and scores it. The prediction
/// output is found once: the named one, or else the first float output sized like the target
/// (class scores of N values for an <c>int&lt;N&gt;</c> target, or the target's own size).
/// </summary>
public sealed class Evaluator
{
    private readonly IModel model;
    private readonly TensorInfo? target;
    private readonly TensorInfo? prediction;
    private readonly float[][] outputBuffers;

    /// <param name="model">The model to score.</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="predictionOutput">The output holding predictions; null to pick it as described above.</param>
    public Evaluator(IModel model, int batchSize = 256, string? predictionOutput = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.model = model;
        BatchSize = batchSize;
        target = model.Targets.Count > 0 ? model.Targets[0] : null;
        prediction = FindPrediction(model, target, predictionOutput);
        outputBuffers = model.Outputs.Select(output => new float[checked(output.Size * batchSize)]).ToArray();
    }

    /// <summary>Examples per forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>The output scored against the first target, if one fits.</summary>
    public TensorInfo? Prediction => prediction;

    /// <summary>Scores the model on every example of <paramref name="data"/>, in order, in inference mode.</summary>
    public Evaluation Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var loader = new DataLoader(data, BatchSize);
        ConfusionMatrix? confusion = target is { Kind: TensorKind.Int } && prediction is not null && data.Contains(target.Name)
            ? new ConfusionMatrix(target.Classes)
            : null;
        RegressionMetrics? regression = target is { Kind: TensorKind.Float } && prediction is not null && data.Contains(target.Name)
            ? new RegressionMetrics()
            : null;
        double lossSum = 0;
        bool scoresLoss = model.HasLoss && model.Targets.All(t => data.Contains(t.Name));
        for (int b = 0; b < loader.BatchCount; b++)
        {
            ModelData batch = loader.Batch(b);
            int count = loader.ExamplesIn(b);
            bool scoresPredictions = confusion is not null || regression is not null;
            if (scoresPredictions)
            {
                for (int o = 0; o < model.Outputs.Count; o++)
                {
                    batch.Set(model.Outputs[o].Name, outputBuffers[o].AsMemory(0, count * model.Outputs[o].Size));
                }
            }

            // Loss writes the outputs the batch binds, so one pass gives both.
            if (scoresLoss)
            {
                lossSum += (double)model.Loss(batch) * count;
            }
            else if (scoresPredictions)
            {
                model.Forward(batch, training: false);
            }

            if (!scoresPredictions)
            {
                continue;
            }

            ReadOnlySpan<float> predicted = batch.Floats(prediction!.Name);
            if (confusion is not null)
            {
                confusion.AddScores(predicted, batch.Ints(target!.Name));
            }
            else
            {
                regression!.Add(predicted, batch.Floats(target!.Name));
            }

            foreach (TensorInfo output in model.Outputs)
            {
                batch.Remove(output.Name);
            }
        }

        return new Evaluation(data.Count, scoresLoss ? lossSum / data.Count : double.NaN, confusion, regression);
    }

    private static TensorInfo? FindPrediction(IModel model, TensorInfo? target, string? name)
    {
        if (name is not null)
        {
            return model.Outputs.FirstOrDefault(output => output.Name == name)
                ?? throw new ArgumentException(
                    $"The model '{model.Name}' has no output named '{name}'; its outputs are {string.Join(", ", model.Outputs.Select(o => $"'{o.Name}'"))}.",
                    nameof(name));
        }

        if (target is null)
        {
            return null;
        }

        int size = target.Kind == TensorKind.Int && target.Shape.Length == 0 ? target.Classes : target.Size;
        return model.Outputs.FirstOrDefault(output => output.Kind == TensorKind.Float && output.Size == size);
    }
}
