using System.Collections.Generic;

namespace ModelC.Samples.Perceptron;

/// <summary>What the perceptron learning rule did on one data set.</summary>
/// <param name="Updates">Weight updates made, one per misclassified example visited.</param>
/// <param name="Epochs">Passes over the data, including the final one with no mistakes.</param>
/// <param name="MistakesPerEpoch">Updates made in each pass.</param>
/// <param name="Converged">Whether a pass finished with no mistakes within the epoch limit.</param>
/// <param name="Line">The learned separator w1 x1 + w2 x2 + b = 0.</param>
/// <param name="TrainingErrors">Points with y·score ≤ 0 after training.</param>
/// <param name="UpdateBound">Novikoff's bound on the number of updates for this data and starting point.</param>
public sealed record PerceptronRun(
    int Updates,
    int Epochs,
    IReadOnlyList<int> MistakesPerEpoch,
    bool Converged,
    (float W1, float W2, float B) Line,
    int TrainingErrors,
    double UpdateBound);
