using System.Collections.Generic;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>The records that describe a model: parameters, tensors and training defaults.</summary>
public sealed class ModelDescriptionTests
{
    [Fact]
    public void ParameterInfoPrintsNameAndShape()
    {
        Assert.Equal("fc1.weight [128, 784]", new ParameterInfo("fc1.weight", [128, 784], 0, 100_352).ToString());
        Assert.Equal("fc1.bias [128]", new ParameterInfo("fc1.bias", [128], 100_352, 128).ToString());
    }

    [Fact]
    public void ParameterInfosCompareShapesByValue()
    {
        var info = new ParameterInfo("w", [2, 3], 4, 6);

        Assert.Equal(info, new ParameterInfo("w", [2, 3], 4, 6));
        Assert.Equal(info.GetHashCode(), new ParameterInfo("w", [2, 3], 4, 6).GetHashCode());
        Assert.NotEqual(info, new ParameterInfo("w", [3, 2], 4, 6));
        Assert.NotEqual(info, new ParameterInfo("w", [2, 3], 5, 6));
    }

    [Fact]
    public void TensorInfoPrintsTheModelType()
    {
        Assert.Equal("x : float[1, 28, 28]", new TensorInfo("x", TensorKind.Float, [1, 28, 28], 784, 0).ToString());
        Assert.Equal("y : int<10>", new TensorInfo("y", TensorKind.Int, [], 1, 10).ToString());
        Assert.Equal("text : int<65>[32]", new TensorInfo("text", TensorKind.Int, [32], 32, 65).ToString());
    }

    [Fact]
    public void TensorInfosCompareShapesByValue()
    {
        Assert.Equal(new TensorInfo("x", TensorKind.Float, [4], 4, 0), new TensorInfo("x", TensorKind.Float, [4], 4, 0));
        Assert.NotEqual(new TensorInfo("x", TensorKind.Float, [4], 4, 0), new TensorInfo("x", TensorKind.Float, [2, 2], 4, 0));
    }

    [Fact]
    public void TrainingDefaultsNoneSetsNothing()
    {
        TrainingDefaults none = TrainingDefaults.None;

        Assert.Null(none.Batch);
        Assert.Null(none.Epochs);
        Assert.Null(none.ClipNorm);
        Assert.Null(none.ClipValue);
        Assert.Null(none.MaxNorm);
        Assert.Null(none.Seed);
        Assert.Null(none.Validation);
        Assert.Null(none.EarlyStoppingPatience);
        Assert.Null(none.EarlyStoppingMetric);
        Assert.Null(none.Schedule);
        Assert.Same(none, TrainingDefaults.None);
    }

    [Fact]
    public void TrainingDefaultsCompareSchedulesByArguments()
    {
        var first = new TrainingDefaults
        {
            Batch = 64,
            Epochs = 10,
            ClipNorm = 5f,
            EarlyStoppingPatience = 3,
            Schedule = new ScheduleSpec("cosine", new Dictionary<string, double> { ["warmup"] = 1 }),
        };
        var same = first with { Schedule = new ScheduleSpec("cosine", new Dictionary<string, double> { ["warmup"] = 1 }) };
        var other = first with { Schedule = new ScheduleSpec("cosine", new Dictionary<string, double> { ["warmup"] = 2 }) };

        Assert.Equal(first, same);
        Assert.NotEqual(first, other);
        Assert.NotEqual(first, first with { Batch = 32 });
    }
}
