using System.Collections.Generic;

namespace ModelC.Runtime.Weights;

/// <summary>
/// What a training loop needs to resume besides the model: the epoch and optimizer step
/// reached (the step also positions a learning-rate schedule), the state of the generator
/// that shuffles the data, and the caller's own metadata (keys must not start with <c>modelc.</c>).
/// </summary>
public sealed record CheckpointInfo(int Epoch, long Step, ModelRandomState DataRandom, IReadOnlyDictionary<string, string> Metadata);
