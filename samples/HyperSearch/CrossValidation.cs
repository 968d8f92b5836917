using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Training;

namespace ModelC.Samples.HyperSearch;

/// <summary>A configuration's k-fold score: the mean over folds of the held-out fold's loss and accuracy.</summary>
internal sealed record CrossValidationScore(double Loss, double Accuracy);

/// <summary>
/// Scores one configuration (hidden width, learning rate) by k-fold cross-validation through the
/// Trainer: for each fold, a fresh model trained on the other folds and evaluated on this one.
/// The folds and the seeds are fixed, so every configuration meets the same splits.
/// </summary>
internal sealed class CrossValidation
{
    private readonly IReadOnlyList<DatasetFold> folds;
    private readonly Func<int, int, IModel> createModel;

    /// <param name="createModel">A fresh model of the given hidden width and seed.</param>
    public CrossValidation(Dataset data, int k, int seed, int epochs, Func<int, int, IModel> createModel)
    {
        folds = data.KFold(k, new ModelRandom(seed), stratifyBy: "y");
        this.createModel = createModel;
        Seed = seed;
        Epochs = epochs;
    }

    public int Seed { get; }

    public int Epochs { get; }

    public int K => folds.Count;

    public CrossValidationScore Score(int width, float learningRate)
    {
        double loss = 0, accuracy = 0;
        foreach (DatasetFold fold in folds)
        {
            IModel model = createModel(width, Seed + fold.Index);
            var trainer = new Trainer(model, new TrainerOptions { LearningRate = learningRate, Epochs = Epochs, Seed = Seed + fold.Index });
            try
            {
                trainer.Fit(fold.Train);
            }
            catch (TrainingDivergedException)
            {
                loss += MaxLoss;
                continue;
            }

            Evaluation held = trainer.Evaluate(fold.Validation);
            // A diverged fit has no finite loss; count it as the worst plausible score so the search moves away.
            loss += double.IsFinite(held.Loss) ? Math.Min(held.Loss, MaxLoss) : MaxLoss;
            accuracy += held.Accuracy ?? 0;
        }

        return new CrossValidationScore(loss / folds.Count, accuracy / folds.Count);
    }

    // ln 2 is a coin toss; a fit far worse than that only tells the search "not here".
    private const double MaxLoss = 2.0;
}
