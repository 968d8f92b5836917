using System;
using System.Linq;
using ModelC.Runtime;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>A train block's max_norm(c) is applied by the generated TrainStep after the optimizer step.</summary>
public class MaxNormTrainStepTests
{
    private const string Template = """
        model Constrained {
            input  x : float[4];
            target y : float[2];
            layer fc = dense(3);
            layer out = dense(2);
            output p = out(tanh(fc(x)));
            loss = mse(p, y);
            train { optimizer = sgd(lr: 5.0); SETTING }
        }
        """;

    private static IModel Trained(string setting)
    {
        IModel model = ModelHarness.Create(Template.Replace("SETTING", setting), seed: 2);
        var batch = new ModelData()
            .Set("x", Enumerable.Range(0, 16).Select(i => MathF.Sin(i) * 3).ToArray())
            .Set("y", Enumerable.Range(0, 8).Select(i => MathF.Cos(i) * 10).ToArray());
        for (int step = 0; step < 3; step++)
        {
            model.TrainStep(batch);
        }

        return model;
    }

    private static float MaxRowNorm(IModel model, string name)
    {
        ParameterInfo info = model.ParameterInfos.Single(p => p.Name == name);
        float[] values = model.Parameter(name).ToArray();
        int row = info.Length / info.Shape[0];
        return Enumerable.Range(0, info.Shape[0])
            .Max(r => MathF.Sqrt(values.AsSpan(r * row, row).ToArray().Sum(v => v * v)));
    }

    [Fact]
    public void Weight_rows_stay_within_the_bound_and_biases_are_free()
    {
        IModel free = Trained("");
        IModel constrained = Trained("max_norm(0.5);");
        Assert.True(MaxRowNorm(free, "out.weight") > 1, "without the constraint the large steps must grow some row past the bound");
        Assert.True(MaxRowNorm(constrained, "fc.weight") <= 0.5f * (1 + 1e-6f));
        Assert.True(MaxRowNorm(constrained, "out.weight") <= 0.5f * (1 + 1e-6f));
        Assert.True(constrained.Parameter("out.bias").ToArray().Max(MathF.Abs) > 0.5f, "biases are not constrained");
    }
}
