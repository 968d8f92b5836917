using System;
using System.Collections.Generic;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// Everything an optimizer carries from one step to the next, by name, for checkpoints:
/// its <paramref name="Kind"/> (the train block's name: <c>adam</c>, <c>sgd</c>, ...), the
/// steps taken, and its per-parameter buffers under PyTorch's state names
/// (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>momentum_buffer</c>, <c>sum</c>, <c>square_avg</c>).
/// Hyper-parameters are not state: they come from the optimizer's constructor.
/// Before the first step there are no buffers.
/// </summary>
public sealed record OptimizerState(string Kind, int StepCount, IReadOnlyDictionary<string, float[]> Buffers)
{
    /// <summary>The number of parameters the buffers cover; 0 when there are none.</summary>
    public int Length
    {
        get
        {
            foreach (float[] buffer in Buffers.Values)
            {
                return buffer.Length;
            }

            return 0;
        }
    }
}
