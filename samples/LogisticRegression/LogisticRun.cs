using System.Collections.Generic;

namespace ModelC.Samples.LogisticRegression;

/// <summary>Progress after one epoch: the mean training loss and both accuracies.</summary>
public readonly record struct EpochStats(int Epoch, double TrainingLoss, double TrainingAccuracy, double TestAccuracy);

/// <summary>One held-out example with the model's probability for class 1.</summary>
public readonly record struct Prediction(float X1, float X2, int Label, double Probability);

/// <summary>What training a logistic regression on <see cref="TwoBlobs"/> produced.</summary>
/// <param name="Coefficients">The learned log-odds w1 x1 + w2 x2 + b.</param>
/// <param name="BayesRuleTestAccuracy">Accuracy of the true log-odds on the same test set.</param>
/// <param name="Samples">The first few test examples with their predicted probabilities.</param>
public sealed record LogisticRun(
    IReadOnlyList<EpochStats> Epochs,
    (double W1, double W2, double B) Coefficients,
    double TrainingAccuracy,
    double TestAccuracy,
    double BayesRuleTestAccuracy,
    int BatchSize,
    IReadOnlyList<Prediction> Samples);
