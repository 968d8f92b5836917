using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Schedules;
using Xunit;

namespace ModelC.Tests.Runtime.Schedules;

/// <summary>
/// Every schedule against torch.optim.lr_scheduler (schedules.json: StepLR and ExponentialLR
/// stepped per epoch; LinearLR, CosineAnnealingLR and SequentialLR per step), and Create's
/// argument checking.
/// </summary>
public class LearningRateScheduleTests
{
    private const double Tolerance = 1e-6;

    private static readonly Lazy<ScheduleFixture> Fixture = new(() => RuntimeFixtures.Load<ScheduleFixture>("schedules.json"));

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, Fixture.Value.Cases.Length).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rates_match_torch_lr_scheduler(int index)
    {
        ScheduleFixture fixture = Fixture.Value;
        ScheduleCase c = fixture.Cases[index];
        var spec = new ScheduleSpec(c.Name, c.Arguments);
        LearningRateSchedule schedule = LearningRateSchedule.Create(spec, (float)fixture.BaseLearningRate, c.StepsPerEpoch, c.Epochs);
        for (int step = 0; step < c.Rates.Length; step++)
        {
            double want = c.Rates[step];
            float got = schedule.LearningRateAt(step);
            double error = RuntimeFixtures.RelativeError(got, want, floor: 1e-6);
            Assert.True(error <= Tolerance, $"{c.Label} step {step}: got {got:R}, torch {want:R} (relative error {error:E2})");
            if (c.Losses is { } losses && (step + 1) % c.StepsPerEpoch == 0)
            {
                schedule.ObserveEpoch(losses[step / c.StepsPerEpoch]);
            }
        }

        Assert.Equal(c.Losses is not null, schedule.ObservesEpochs);
    }

    [Fact]
    public void The_fixture_covers_every_schedule_and_every_one_but_constant_changes_the_rate()
    {
        ScheduleCase[] cases = Fixture.Value.Cases;
        Assert.Equal(
            new[] { "constant", "cosine", "exponential", "linear", "onecycle", "reduce_on_plateau", "step", "warmup_linear" },
            cases.Select(c => c.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal));
        // A plateau schedule may cut the rate only once (then to its min_lr).
        Assert.All(cases.Where(c => c.Name != "constant"), c => Assert.True(c.Rates.Distinct().Count() > (c.Name == "reduce_on_plateau" ? 1 : 2), c.Label));
        Assert.Contains(cases, c => c.Name == "cosine" && c.Arguments["warmup"] > 0);
        Assert.Contains(cases, c => c.Name == "reduce_on_plateau" && c.Arguments.ContainsKey("min_lr") && c.Rates.Min() == c.Arguments["min_lr"]);
    }

    [Fact]
    public void Reduce_on_plateau_resumes_from_its_exported_state()
    {
        var spec = new ScheduleSpec("reduce_on_plateau", new Dictionary<string, double> { ["patience"] = 1, ["factor"] = 0.5, ["cooldown"] = 1 });
        double[] losses = [1, 0.9, 0.95, 0.97, 0.99, 0.8, 0.81, 0.82, 0.83];
        LearningRateSchedule straight = LearningRateSchedule.Create(spec, 0.4f, 5, losses.Length);
        LearningRateSchedule first = LearningRateSchedule.Create(spec, 0.4f, 5, losses.Length);
        LearningRateSchedule resumed = LearningRateSchedule.Create(spec, 0.4f, 5, losses.Length);
        var rates = new List<float>();
        for (int e = 0; e < losses.Length; e++)
        {
            straight.ObserveEpoch(losses[e]);
            rates.Add(straight.LearningRateAt(e * 5));
            if (e < 4)
            {
                first.ObserveEpoch(losses[e]);
            }
        }

        resumed.ImportState(first.ExportState());
        for (int e = 4; e < losses.Length; e++)
        {
            resumed.ObserveEpoch(losses[e]);
            Assert.Equal(rates[e], resumed.LearningRateAt(e * 5));
        }

        Assert.Equal(0.1f, rates[^1]);
        Assert.Contains("bad_epochs", Assert.Throws<ArgumentException>(() => resumed.ImportState(new Dictionary<string, string> { ["lr"] = "0.1", ["best"] = "1", ["cooldown_left"] = "0" })).Message);
    }

    [Fact]
    public void Onecycle_ignores_the_base_rate_and_ends_at_its_smallest_rate()
    {
        var spec = new ScheduleSpec("onecycle", new Dictionary<string, double> { ["max_lr"] = 1 });
        LearningRateSchedule a = LearningRateSchedule.Create(spec, 0.001f, 10, 2);
        LearningRateSchedule b = LearningRateSchedule.Create(spec, 0.5f, 10, 2);
        Assert.Equal(0.04f, a.LearningRateAt(0));
        Assert.Equal(a.LearningRateAt(7), b.LearningRateAt(7));
        Assert.Equal(4e-6f, a.LearningRateAt(19), 1e-9f);
        Assert.Equal(a.LearningRateAt(19), a.LearningRateAt(500));
    }

    [Fact]
    public void Null_spec_is_constant()
    {
        LearningRateSchedule schedule = LearningRateSchedule.Create(null, 0.25f, 10, 3);
        Assert.All(new long[] { 0, 1, 29, 1000 }, s => Assert.Equal(0.25f, schedule.LearningRateAt(s)));
    }

    [Fact]
    public void Missing_arguments_take_the_train_blocks_defaults()
    {
        // step's gamma defaults to 0.1 and cosine's warmup to 0, as the compiler's TrainBinder fills them.
        var step = LearningRateSchedule.Create(new ScheduleSpec("step", new Dictionary<string, double> { ["every"] = 1 }), 1f, 2, 4);
        Assert.Equal(0.1f, step.LearningRateAt(2));
        var cosine = LearningRateSchedule.Create(new ScheduleSpec("cosine", new Dictionary<string, double>()), 1f, 2, 4);
        Assert.Equal(1f, cosine.LearningRateAt(0));
    }

    [Fact]
    public void Cosine_ends_at_zero_and_stays_there()
    {
        var cosine = LearningRateSchedule.Create(new ScheduleSpec("cosine", new Dictionary<string, double> { ["warmup"] = 1 }), 1f, 4, 3);
        Assert.Equal(0.25f, cosine.LearningRateAt(0));
        Assert.Equal(1f, cosine.LearningRateAt(4));
        Assert.Equal(0f, cosine.LearningRateAt(12));
        Assert.Equal(0f, cosine.LearningRateAt(100));
    }

    [Theory]
    [InlineData("cyclic", "spec")]
    [InlineData("linear", "start")]
    [InlineData("onecycle", "max_lr")]
    [InlineData("step", "every")]
    [InlineData("exponential", "gamma")]
    [InlineData("warmup_linear", "steps")]
    public void Unknown_names_and_missing_required_arguments_are_named(string name, string argument)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            LearningRateSchedule.Create(new ScheduleSpec(name, new Dictionary<string, double>()), 0.1f, 10, 5));
        Assert.Equal(argument, e.ParamName);
        Assert.Contains(name == "cyclic" ? "Unknown schedule 'cyclic'" : $"'{argument}'", e.Message);
    }

    [Theory]
    [InlineData("step", "every", 0)]
    [InlineData("step", "every", 1.5)]
    [InlineData("step", "gamma", -0.5)]
    [InlineData("exponential", "gamma", 0)]
    [InlineData("cosine", "warmup", -1)]
    [InlineData("cosine", "warmup", 6)]
    [InlineData("warmup_linear", "steps", 0)]
    [InlineData("cosine", "steps", 3)]
    [InlineData("onecycle", "pct_start", 1)]
    [InlineData("onecycle", "div_factor", 0.5)]
    [InlineData("reduce_on_plateau", "factor", 1)]
    [InlineData("reduce_on_plateau", "patience", 1.5)]
    public void Bad_arguments_are_named(string name, string argument, double value)
    {
        var arguments = new Dictionary<string, double> { [argument] = value };
        if (name == "step" && argument != "every")
        {
            arguments["every"] = 2;
        }

        if (name == "onecycle")
        {
            arguments["max_lr"] = 0.1;
        }

        var e = Assert.ThrowsAny<ArgumentException>(() =>
            LearningRateSchedule.Create(new ScheduleSpec(name, arguments), 0.1f, 10, 5));
        Assert.Equal(argument, e.ParamName);
        Assert.Contains($"'{argument}'", e.Message);
    }

    [Theory]
    [InlineData(float.NaN, 10, 5, "baseLearningRate")]
    [InlineData(0.1f, 0, 5, "stepsPerEpoch")]
    [InlineData(0.1f, 10, 0, "epochs")]
    public void Bad_training_lengths_are_named(float lr, int stepsPerEpoch, int epochs, string argument)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => LearningRateSchedule.Create(null, lr, stepsPerEpoch, epochs));
        Assert.Equal(argument, e.ParamName);
    }

    [Fact]
    public void A_negative_step_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => LearningRateSchedule.Create(null, 0.1f, 1, 1).LearningRateAt(-1));
    }
}
