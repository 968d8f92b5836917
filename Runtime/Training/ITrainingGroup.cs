using System;

namespace ModelC.Runtime.Training;

/// <summary>
/// The processes of a data-parallel job, as a <see cref="Trainer"/> sees them: every process holds
/// a replica of the model, trains on its shard of each global batch, and the group sums the
/// gradients so that every replica takes the same optimizer step. Runtime only calls this
/// interface; an implementation over MPI lives in ModelC.Distributed.
/// </summary>
public interface ITrainingGroup
{
    /// <summary>This process's place in the group, 0 to <see cref="Size"/> - 1. Rank 0 alone writes files and reports progress.</summary>
    int Rank { get; }

    /// <summary>The number of processes.</summary>
    int Size { get; }

    /// <summary>Overwrites every process's <paramref name="values"/> with rank 0's. Every rank calls it with the same length.</summary>
    void Broadcast(Span<float> values);

    /// <summary>
    /// Replaces every process's <paramref name="values"/> by their element-wise sum over the group.
    /// The additions run in an order fixed by the length and the group size alone, and every rank
    /// receives the same bits, so replicas never drift apart and reruns repeat exactly.
    /// </summary>
    void SumAcrossRanks(Span<float> values);
}
