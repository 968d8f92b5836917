using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>
/// Ten steps of each optimizer against torch.optim's trajectory (optimizers.json, torch 1.13,
/// float32): same initial parameters, same gradients, every element after every step within
/// 1e-5 relative.
/// </summary>
public class TorchOptimizerTests
{
    private const double Tolerance = 1e-5;

    private static readonly Lazy<TorchOptimizerFixture> Fixture = new(() => RuntimeFixtures.Load<TorchOptimizerFixture>("optimizers.json"));

    public static IEnumerable<object[]> Cases() => Fixture.Value.Cases.Select(c => new object[] { c.Name });

    [Fact]
    public void The_fixture_covers_every_optimizer_with_and_without_weight_decay()
    {
        TorchOptimizerFixture fixture = Fixture.Value;
        string[] kinds = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw"];
        foreach (string kind in kinds)
        {
            Assert.Contains(fixture.Cases, c => c.Kind == kind && c.Arguments.GetValueOrDefault("weight_decay") > 0);
            Assert.Contains(fixture.Cases, c => c.Kind == kind && c.Arguments.GetValueOrDefault("weight_decay") == 0);
        }

        Assert.All(fixture.Cases, c => Assert.Equal(10, c.Trajectory.Length));
        Assert.Equal(10, fixture.Gradients.Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ten_steps_match_torch(string name)
    {
        TorchOptimizerFixture fixture = Fixture.Value;
        TorchOptimizerCase testCase = fixture.Cases.Single(c => c.Name == name);
        IOptimizer optimizer = OptimizerFactory.Create(testCase.Kind, testCase.Arguments);
        float[] parameters = fixture.Initial.Select(v => (float)v).ToArray();
        for (int step = 0; step < fixture.Gradients.Length; step++)
        {
            float[] gradients = fixture.Gradients[step].Select(v => (float)v).ToArray();
            optimizer.Step(parameters, gradients);
            for (int i = 0; i < parameters.Length; i++)
            {
                double want = testCase.Trajectory[step][i];
                double error = RuntimeFixtures.RelativeError(parameters[i], want);
                Assert.True(error <= Tolerance, $"{name} step {step + 1} element {i}: got {parameters[i]:R}, torch {want:R} (relative error {error:E2})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_step_moves_the_parameters_as_torch_does(string name)
    {
        // Guards against a fixture in which the optimizer barely moves, where matching proves little.
        TorchOptimizerCase testCase = Fixture.Value.Cases.Single(c => c.Name == name);
        double[] initial = Fixture.Value.Initial;
        double moved = testCase.Trajectory[^1].Zip(initial, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(moved > 1e-2, $"{name} moves the parameters by only {moved} in ten steps");
    }
}
