using System;

namespace ModelC.Runtime.Training;

/// <summary>
/// One epoch's record: the mean training loss over its batches (in training mode, as Keras
/// reports it), the validation scores if there was validation data, and the learning rate of
/// its last step.
/// </summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    Evaluation? Validation,
    float LearningRate,
    TimeSpan Duration,
    double SamplesPerSecond);
