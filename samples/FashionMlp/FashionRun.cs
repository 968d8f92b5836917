using System;
using System.Diagnostics;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Training;
using ModelC.Runtime.Weights;

namespace ModelC.Samples.FashionMlp;

/// <summary>How the main job trains: what the command line may change.</summary>
public sealed record FashionSettings(
    int Seed = 0,
    int? Epochs = null,
    float ValidationFraction = 0.1f,
    string? WeightsPath = null,
    string? LogPath = null,
    ITrainingGroup? Group = null);

/// <summary>What the main job measured.</summary>
public sealed record FashionResult(TrainingHistory History, Evaluation Test, TimeSpan Elapsed, int TrainExamples, int ValidationExamples);

/// <summary>
/// The main job without its console: train the FashionMlp on a training set with the defaults of
/// its train block (Adam, cosine schedule, batch 64, 10 epochs, early stopping on a held-out
/// tenth), score it on the test set and save its weights. In a data-parallel group each process
/// takes an equal share of every batch of 64, so the run makes the same steps as a single process.
/// </summary>
public static class FashionRun
{
    public static FashionResult Run(IModel model, Dataset train, Dataset test, FashionSettings settings, IProgress<TrainingProgress>? progress = null)
    {
        int? batchPerProcess = settings.Group is { Size: > 1 } group
            ? ((model.TrainingDefaults.Batch ?? 32) + group.Size - 1) / group.Size
            : null;
        var trainer = new Trainer(model, new TrainerOptions
        {
            BatchSize = batchPerProcess,
            Group = settings.Group,
            Seed = settings.Seed,
            Epochs = settings.Epochs,
            ValidationFraction = settings.ValidationFraction,
            LogPath = settings.LogPath,
            Progress = progress,
        });
        var clock = Stopwatch.StartNew();
        TrainingHistory history = trainer.Fit(train);
        TimeSpan elapsed = clock.Elapsed;
        Evaluation scores = trainer.Evaluate(test);
        if (settings.WeightsPath is { } path && trainer.WritesFiles)
        {
            ModelWeights.Save(model, path);
        }

        long validation = history.Epochs[0].Validation?.Examples ?? 0;
        return new FashionResult(history, scores, elapsed, train.Count - (int)validation, (int)validation);
    }
}
