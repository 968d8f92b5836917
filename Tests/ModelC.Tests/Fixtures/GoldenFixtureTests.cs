using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace ModelC.Tests.Fixtures;

// Checks the fixtures against themselves, so a broken regeneration fails here with a clear
// message instead of as a confusing numeric mismatch in the compiler's gradient tests.
public sealed class GoldenFixtureTests
{
    [Fact]
    public void AtLeastTenFixturesAreCommitted()
    {
        Assert.True(GoldenFixture.Names().Count >= 10, $"only {GoldenFixture.Names().Count} fixtures in {GoldenFixture.Directory}");
    }

    [Fact]
    public void LoadingAMissingFixtureNamesIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => GoldenFixture.Load("NoSuchFixture"));
        Assert.Contains("NoSuchFixture", error.Message);
    }

    [Theory]
    [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
    public void NameMatchesFileAndModelSource(string name)
    {
        var fixture = GoldenFixture.Load(name);

        Assert.Equal(name, fixture.Name);
        Assert.Equal(name + ".model", fixture.Model);
        Assert.Contains($"model {name} {{", fixture.ReadModelSource());
    }

    [Theory]
    [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
    public void ParameterValueCountsMatchShapes(string name)
    {
        var fixture = GoldenFixture.Load(name);

        Assert.NotEmpty(fixture.Parameters);
        Assert.Equal(fixture.Parameters.Count, fixture.Parameters.Select(p => p.Name).Distinct().Count());
        foreach (var parameter in fixture.Parameters)
        {
            Assert.True(parameter.Shape.Length > 0 && parameter.Shape.All(d => d > 0), $"{parameter.Name}: bad shape");
            Assert.Equal(parameter.ElementCount, parameter.Values.Length);
            Assert.All(parameter.Values, v => Assert.Equal(v, (double)(float)v));
        }
    }

    [Theory]
    [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
    public void GradientsFollowParametersInOrderAndLength(string name)
    {
        var fixture = GoldenFixture.Load(name);

        Assert.Equal(fixture.Parameters.Select(p => p.Name), fixture.Gradients.Select(g => g.Name));
        for (int i = 0; i < fixture.Parameters.Count; i++)
        {
            Assert.Equal(fixture.Parameters[i].Values.Length, fixture.Gradients[i].Values.Length);
            Assert.Contains(fixture.Gradients[i].Values, g => g != 0);
        }

        Assert.Equal(fixture.FlatParameters().Length, fixture.FlatGradients().Length);
    }

    [Theory]
    [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
    public void InputsAndTheirGradientsHoldOneExamplePerBatchRow(string name)
    {
        var fixture = GoldenFixture.Load(name);

        Assert.True(fixture.Batch > 0);
        Assert.NotEmpty(fixture.Inputs);
        Assert.Equal(fixture.Inputs.Keys.OrderBy(k => k), fixture.InputGradients.Keys.OrderBy(k => k));
        foreach (var (inputName, input) in fixture.Inputs)
        {
            Assert.Equal(fixture.Batch * input.ExampleSize, input.Values.Length);
            Assert.Equal(input.Values.Length, fixture.InputGradients[inputName].Length);
            Assert.All(input.Values, v => Assert.Equal(v, (double)(float)v));
        }
    }

    [Theory]
    [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
    public void TargetsHoldOneExamplePerBatchRow(string name)
    {
        var fixture = GoldenFixture.Load(name);

        foreach (var (targetName, target) in fixture.Targets)
        {
            if (target.IsInt)
            {
                Assert.Empty(target.Shape);
                Assert.NotNull(target.Classes);
                Assert.Equal(fixture.Batch, target.Values.Length);
                Assert.All(target.AsInts(), c => Assert.InRange(c, 0, target.Classes!.Value - 1));
            }
            else
            {
                Assert.Equal("float", target.Kind);
                Assert.Equal(fixture.Batch * target.ExampleSize, target.Values.Length);
            }
        }
    }

    [Theory]
    [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
    public void OutputsMatchTheirShapes(string name)
    {
        var fixture = GoldenFixture.Load(name);

        Assert.NotEmpty(fixture.Outputs);
        Assert.Equal(fixture.Outputs.Keys.OrderBy(k => k), fixture.OutputShapes.Keys.OrderBy(k => k));
        foreach (var (outputName, values) in fixture.Outputs)
        {
            int exampleSize = fixture.OutputShapes[outputName].Aggregate(1, (product, d) => product * d);
            Assert.Equal(fixture.Batch * exampleSize, values.Length);
        }
    }

    [Theory]
    [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
    public void LossIsTheMeanOfTheExampleLosses(string name)
    {
        var fixture = GoldenFixture.Load(name);

        Assert.Equal(fixture.Batch, fixture.ExampleLosses.Length);
        Assert.Equal(fixture.Loss, fixture.ExampleLosses.Average(), 12);
    }

    [Theory]
    [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
    public void EveryNumberIsFinite(string name)
    {
        var fixture = GoldenFixture.Load(name);

        IEnumerable<double> all = new[] { fixture.Loss }
            .Concat(fixture.ExampleLosses)
            .Concat(fixture.Parameters.SelectMany(p => p.Values))
            .Concat(fixture.Gradients.SelectMany(g => g.Values))
            .Concat(fixture.Inputs.Values.SelectMany(i => i.Values))
            .Concat(fixture.InputGradients.Values.SelectMany(g => g))
            .Concat(fixture.Targets.Values.SelectMany(t => t.Values))
            .Concat(fixture.Outputs.Values.SelectMany(o => o));
        Assert.All(all, v => Assert.True(double.IsFinite(v)));
    }
}
