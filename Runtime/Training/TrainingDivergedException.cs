using System;

namespace ModelC.Runtime.Training;

/// <summary>The loss became NaN or infinite; training stopped before the bad step changed any weights.</summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(int epoch, long step, int batch, float loss)
        : base($"The loss is {loss} at epoch {epoch}, batch {batch} (step {step}); training stopped before this step's update. "
            + "Try a smaller learning rate, gradient clipping (clip_norm), or check the data for NaN or huge values.")
    {
        Epoch = epoch;
        Step = step;
        Batch = batch;
        Loss = loss;
    }

    public TrainingDivergedException()
    {
    }

    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The 1-based epoch of the bad step.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based optimizer step that produced the bad loss.</summary>
    public long Step { get; }

    /// <summary>The 1-based batch within the epoch.</summary>
    public int Batch { get; }

    /// <summary>The loss that was not finite.</summary>
    public float Loss { get; }
}
