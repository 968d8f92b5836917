using System;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// Updates a flat parameter vector from its gradient. Implementations keep per-parameter
/// state (momentum, squared-gradient averages) sized on the first <see cref="Step"/>.
/// </summary>
public interface IOptimizer
{
    /// <summary>The step size; schedules change it between steps.</summary>
    float LearningRate { get; set; }

    /// <summary>Applies one update to <paramref name="parameters"/> in place.</summary>
    /// <exception cref="ArgumentException"><paramref name="gradients"/> is not as long as <paramref name="parameters"/>.</exception>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>Forgets all state, so the next step behaves like the first.</summary>
    void Reset();

    /// <summary>A copy of the complete state (steps taken and every buffer), for a checkpoint.</summary>
    OptimizerState ExportState();

    /// <summary>
    /// Continues from a state taken with <see cref="ExportState"/> from an optimizer of the same
    /// kind: the next step is exactly the step the exporting optimizer would have taken next.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The state is of another kind, or its buffers' names or lengths do not fit; the optimizer
    /// is then unchanged (checkpoint loading relies on it).
    /// </exception>
    void ImportState(OptimizerState state);
}
