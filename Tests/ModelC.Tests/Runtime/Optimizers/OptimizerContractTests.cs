using System;
using System.Collections.Generic;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>What every optimizer promises beyond its formula: length checks, reset, no steady-state allocation.</summary>
public sealed class OptimizerContractTests
{
    public static IEnumerable<object[]> AllOptimizers() =>
    [
        [new Func<IOptimizer>(() => new Sgd(0.1f, 0.01f))],
        [new Func<IOptimizer>(() => new Momentum(0.1f, 0.9f, 0.01f))],
        [new Func<IOptimizer>(() => new Nesterov(0.1f, 0.9f, 0.01f))],
        [new Func<IOptimizer>(() => new Adagrad(0.1f, weightDecay: 0.01f))],
        [new Func<IOptimizer>(() => new RmsProp(0.01f, weightDecay: 0.01f))],
        [new Func<IOptimizer>(() => new Adadelta(1f, weightDecay: 0.01f))],
        [new Func<IOptimizer>(() => new Adam(0.01f, weightDecay: 0.01f))],
        [new Func<IOptimizer>(() => new AdamW(0.01f))],
    ];

    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void StepRejectsGradientsOfAnotherLength(Func<IOptimizer> create)
    {
        IOptimizer optimizer = create();
        float[] parameters = new float[3];

        var error = Assert.Throws<ArgumentException>(() => optimizer.Step(parameters, new float[2]));

        Assert.Equal("gradients", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void StepRejectsAnotherModelUntilReset(Func<IOptimizer> create)
    {
        IOptimizer optimizer = create();
        optimizer.Step(new float[3], new float[3]);

        var error = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[4], new float[4]));
        Assert.Equal("parameters", error.ParamName);

        optimizer.Reset();
        float[] larger = [1f, 2f, 3f, 4f];
        optimizer.Step(larger, [0.5f, 0.5f, 0.5f, 0.5f]);
        Assert.True(larger[0] < 1f);
    }

    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void ResetRestartsTheTrajectory(Func<IOptimizer> create)
    {
        IOptimizer optimizer = create();
        float[][] first = ThreeStepProblem.Run(optimizer);

        optimizer.Reset();
        float[][] second = ThreeStepProblem.Run(optimizer);

        Assert.Equal(first, second);
        Assert.Equal(ThreeStepProblem.Run(create()), second);
    }

    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void StepsAfterTheFirstAllocateNothing(Func<IOptimizer> create)
    {
        IOptimizer optimizer = create();
        float[] parameters = new float[1000];
        float[] gradients = new float[1000];
        Array.Fill(gradients, 0.25f);
        optimizer.Step(parameters, gradients);
        optimizer.Step(parameters, gradients);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            optimizer.Step(parameters, gradients);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void LearningRateChangesTakeEffect(Func<IOptimizer> create)
    {
        IOptimizer frozen = create();
        frozen.LearningRate = 0f;
        float[] parameters = [1f, -1f];

        frozen.Step(parameters, [0.3f, 0.3f]);

        Assert.Equal([1f, -1f], parameters);
    }

    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void LearningRateSetterRejectsNegativeValues(Func<IOptimizer> create)
    {
        IOptimizer optimizer = create();

        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -0.1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = float.NaN);
    }
}
