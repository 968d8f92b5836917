using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>
/// ExportState/ImportState: an optimizer resumed from an exported state continues bit for bit,
/// and a state that does not fit is refused with a message saying what differs.
/// </summary>
public class OptimizerStateTests
{
    public static IEnumerable<object[]> Kinds() =>
        new[] { "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw" }.Select(k => new object[] { k });

    private static IOptimizer Create(string kind) =>
        OptimizerFactory.Create(kind, new Dictionary<string, double> { ["lr"] = 0.05, ["weight_decay"] = 0.01 });

    private static float[] Gradient(int step) =>
        Enumerable.Range(0, 7).Select(i => MathF.Sin((step * 7) + i) * (1 + (i % 3))).ToArray();

    private static float[] Initial() => Enumerable.Range(0, 7).Select(i => (i - 3) * 0.25f).ToArray();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Five_steps_export_import_five_more_is_bit_identical_to_ten(string kind)
    {
        float[] uninterrupted = Initial();
        IOptimizer straight = Create(kind);
        for (int step = 0; step < 10; step++)
        {
            straight.Step(uninterrupted, Gradient(step));
        }

        float[] resumed = Initial();
        IOptimizer first = Create(kind);
        for (int step = 0; step < 5; step++)
        {
            first.Step(resumed, Gradient(step));
        }

        OptimizerState state = first.ExportState();
        first.Step(new float[7], Gradient(99)); // the export is a copy: later steps must not change it
        IOptimizer second = Create(kind);
        second.ImportState(state);
        for (int step = 5; step < 10; step++)
        {
            second.Step(resumed, Gradient(step));
        }

        Assert.Equal(kind, state.Kind);
        Assert.Equal(5, state.StepCount);
        Assert.Equal(
            uninterrupted.Select(BitConverter.SingleToInt32Bits),
            resumed.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(10, ((OptimizerBase)second).StepCount);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum", "momentum_buffer")]
    [InlineData("nesterov", "momentum_buffer")]
    [InlineData("adagrad", "sum")]
    [InlineData("rmsprop", "square_avg")]
    [InlineData("adadelta", "square_avg", "acc_delta")]
    [InlineData("adam", "exp_avg", "exp_avg_sq")]
    [InlineData("adamw", "exp_avg", "exp_avg_sq")]
    public void Buffers_carry_torch_state_names(string kind, params string[] names)
    {
        IOptimizer optimizer = Create(kind);
        Assert.Empty(optimizer.ExportState().Buffers);
        optimizer.Step(Initial(), Gradient(0));
        OptimizerState state = optimizer.ExportState();
        Assert.Equal(names.OrderBy(n => n), state.Buffers.Keys.OrderBy(n => n));
        Assert.All(state.Buffers.Values, b => Assert.Equal(7, b.Length));
    }

    [Fact]
    public void Momentum_buffer_after_one_step_is_the_decayed_gradient()
    {
        var optimizer = new Momentum(0.1f, 0.9f, weightDecay: 0.5f);
        float[] parameters = [2f, -4f];
        optimizer.Step(parameters, [1f, 1f]);
        Assert.Equal([1f + (0.5f * 2f), 1f + (0.5f * -4f)], optimizer.ExportState().Buffers["momentum_buffer"]);
    }

    [Fact]
    public void Importing_another_kind_names_both()
    {
        IOptimizer adam = Create("adam");
        adam.Step(Initial(), Gradient(0));
        var e = Assert.Throws<ArgumentException>(() => Create("rmsprop").ImportState(adam.ExportState()));
        Assert.Contains("'adam'", e.Message);
        Assert.Contains("'rmsprop'", e.Message);
    }

    [Fact]
    public void Importing_missing_or_extra_buffers_names_them()
    {
        var state = new OptimizerState("adam", 3, new Dictionary<string, float[]> { ["exp_avg"] = new float[7], ["momentum_buffer"] = new float[7] });
        var e = Assert.Throws<ArgumentException>(() => Create("adam").ImportState(state));
        Assert.Contains("missing exp_avg_sq", e.Message);
        Assert.Contains("unexpected momentum_buffer", e.Message);
    }

    [Fact]
    public void Importing_buffers_of_different_lengths_says_which()
    {
        var state = new OptimizerState("adam", 3, new Dictionary<string, float[]> { ["exp_avg"] = new float[7], ["exp_avg_sq"] = new float[6] });
        var e = Assert.Throws<ArgumentException>(() => Create("adam").ImportState(state));
        Assert.Contains("differ in length", e.Message);
    }

    [Fact]
    public void An_imported_state_refuses_parameters_of_another_length()
    {
        IOptimizer first = Create("adam");
        first.Step(Initial(), Gradient(0));
        IOptimizer second = Create("adam");
        second.ImportState(first.ExportState());
        var e = Assert.Throws<ArgumentException>(() => second.Step(new float[8], new float[8]));
        Assert.Contains("7", e.Message);
    }

    [Fact]
    public void Importing_a_fresh_state_resets()
    {
        IOptimizer used = Create("adam");
        used.Step(Initial(), Gradient(0));
        used.ImportState(Create("adam").ExportState());
        Assert.Equal(0, ((OptimizerBase)used).StepCount);
        Assert.Empty(used.ExportState().Buffers);
    }

    [Fact]
    public void A_negative_step_count_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Create("sgd").ImportState(new OptimizerState("sgd", -1, new Dictionary<string, float[]>())));
        Assert.Contains("-1", e.Message);
    }
}
