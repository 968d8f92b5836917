using System;
using System.Collections.Generic;
using ModelC.Runtime.Optimizers;

namespace ModelC.Runtime;

/// <summary>
/// What every generated model exposes, untyped: tensors are passed by name in
/// <see cref="ModelData"/>, so trainers, optimizers and weight files work with any model.
/// Batch sizes are implied by the lengths of the input spans over their per-example sizes.
/// </summary>
public interface IModel
{
    /// <summary>The model's name as declared in its <c>.model</c> file.</summary>
    string Name { get; }

    /// <summary>The number of trainable floats, the length of <see cref="Parameters"/>.</summary>
    int ParameterCount { get; }

    /// <summary>Every trainable parameter, flat, in declaration order, each row-major.</summary>
    Span<float> Parameters { get; }

    /// <summary>
    /// d(batch loss)/d(parameter), laid out like <see cref="Parameters"/>. Every backward
    /// pass overwrites it; nothing accumulates across calls.
    /// </summary>
    Span<float> Gradients { get; }

    /// <summary>Where each named parameter lives in <see cref="Parameters"/>, in declaration order.</summary>
    IReadOnlyList<ParameterInfo> ParameterInfos { get; }

    /// <summary>
    /// State that is saved with the weights but never trained (batchnorm's running_mean and
    /// running_var), flat, in declaration order, each row-major. Empty for most models.
    /// </summary>
    Span<float> Buffers => Span<float>.Empty;
    /// <summary>Where each named buffer lives in <see cref="Buffers"/>, in declaration order.</summary>
    IReadOnlyList<ParameterInfo> BufferInfos => Array.Empty<ParameterInfo>();
    /// <summary>The declared inputs, in declaration order.</summary>
    IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>The declared targets (read only by the loss), in declaration order.</summary>
    IReadOnlyList<TensorInfo> Targets { get; }

    /// <summary>The declared outputs, in declaration order.</summary>
    IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Whether the model declares a loss; without one only Forward and Backward work.</summary>
    bool HasLoss { get; }

    /// <summary>The optimizer <see cref="TrainStep"/> uses; initially the one the <c>train { }</c> block names.</summary>
    IOptimizer Optimizer { get; set; }

    /// <summary>
    /// The generator that dropout and sampling ops draw from. A checkpoint saves its state so
    /// that a resumed run draws the same masks as an uninterrupted one.
    /// </summary>
    ModelRandom Random { get; }

    /// <summary>The other settings of the model's <c>train { }</c> block.</summary>
    TrainingDefaults TrainingDefaults { get; }

    /// <summary>
    /// Runs the model on a batch: reads every input by name from <paramref name="data"/> and
    /// writes each output that <paramref name="data"/> binds by name into that span (the others are
    /// computed and discarded).
    /// With <paramref name="training"/> true dropout is active, batch normalization uses and
    /// updates batch statistics, and the activations <see cref="Backward"/> needs are kept.
    /// </summary>
    void Forward(ModelData data, bool training);

    /// <summary>
    /// Back-propagates from the gradients of the outputs (bound by output name in
    /// <paramref name="outputGradients"/>) of the last <see cref="Forward"/> run with training
    /// true. Overwrites <see cref="Gradients"/>, and writes the gradient of each input whose
    /// name <paramref name="inputGradients"/> binds.
    /// </summary>
    void Backward(ModelData outputGradients, ModelData? inputGradients);

    /// <summary>
    /// Forward in training mode, then backward from the loss: overwrites <see cref="Gradients"/>
    /// with d(batch loss)/d(parameter). Inputs and targets are read by name.
    /// </summary>
    /// <returns>The batch loss: the mean over the batch of the per-example loss.</returns>
    float ForwardBackward(ModelData batch);

    /// <summary>
    /// <see cref="ForwardBackward(ModelData)"/> that also writes d(batch loss)/d(input) for every
    /// float input named in <paramref name="inputGradients"/> (sized like the input).
    /// </summary>
    float ForwardBackward(ModelData batch, ModelData inputGradients);

    /// <summary>
    /// The batch loss in inference mode (no dropout, running statistics); gradients are untouched.
    /// Every output whose name <paramref name="batch"/> binds receives the values of the same forward
    /// pass, so predictions and loss cost one pass.
    /// </summary>
    float Loss(ModelData batch);

    /// <summary><see cref="ForwardBackward(ModelData)"/> followed by one <see cref="Optimizer"/> step.</summary>
    /// <returns>The batch loss before the step.</returns>
    float TrainStep(ModelData batch);
}
