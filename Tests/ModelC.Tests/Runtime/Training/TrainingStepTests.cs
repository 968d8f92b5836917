using System;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Optimizers;
using ModelC.Runtime.Training;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime.Training;

/// <summary>The generated TrainStep and the Trainer take the same step: Runtime's TrainingStep.</summary>
public class TrainingStepTests
{
    // Inputs and targets far from the initial outputs, so every gradient element is large and both clips act.
    private const string Clipped = """
        model Clipped {
            input x : float[3];
            target y : float[2];
            layer hidden = dense(4);
            layer out = dense(2);
            output p = out(relu(hidden(x)));
            loss = mse(p, y);
            train { optimizer = momentum(lr: 0.2); batch = 1; epochs = 4; clip_value = 0.05; clip_norm = 0.1; max_norm = 0.9; }
        }
        """;

    private static readonly float[] X = [5f, -3f, 2f];
    private static readonly float[] Y = [10f, -10f];

    [Fact]
    public void TrainStep_and_the_Trainer_give_identical_weights_with_both_clips_set()
    {
        IModel generated = ModelHarness.Create(Clipped, seed: 3);
        var batch = new ModelData().Set("x", X).Set("y", Y);
        for (int step = 0; step < 4; step++)
        {
            generated.TrainStep(batch);
        }

        IModel trained = ModelHarness.Create(Clipped, seed: 3);
        // One example, batch 1, 4 epochs: the Trainer takes the same 4 steps on the same example.
        var history = new Trainer(trained).Fit(new Dataset(DatasetColumn.OfFloats("x", X, 3), DatasetColumn.OfFloats("y", Y, 2)));
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(generated.Parameters.ToArray(), trained.Parameters.ToArray());
    }

    [Fact]
    public void Clipping_by_value_comes_before_clipping_by_norm()
    {
        IModel model = ModelHarness.Create(Clipped, seed: 3);
        var batch = new ModelData().Set("x", X).Set("y", Y);
        float[] initial = model.Parameters.ToArray();
        model.ForwardBackward(batch);
        float[] gradients = model.Gradients.ToArray();
        Assert.True(gradients.Count(g => Math.Abs(g) > 0.05f) > 1, "the value clip must act on more than one element");

        float[] Step(bool valueFirst)
        {
            float[] g = (float[])gradients.Clone();
            if (valueFirst)
            {
                GradientClipping.ClipValue(g, 0.05f);
                GradientClipping.ClipNorm(g, 0.1f);
            }
            else
            {
                GradientClipping.ClipNorm(g, 0.1f);
                GradientClipping.ClipValue(g, 0.05f);
            }

            float[] p = (float[])initial.Clone();
            new Momentum(0.2f).Step(p, g);
            MaxNorm.Apply(p, model.ParameterInfos, 0.9f);
            return p;
        }

        // The two orders differ on this gradient, so the test above would catch a copy that swapped them.
        Assert.NotEqual(Step(valueFirst: false), Step(valueFirst: true));
        IModel stepped = ModelHarness.Create(Clipped, seed: 3);
        stepped.TrainStep(batch);
        Assert.Equal(Step(valueFirst: true), stepped.Parameters.ToArray());
    }
}
