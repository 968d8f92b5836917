using System.Linq;
using ModelC.Compiler;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>Optimizer and schedule arguments are checked against the table the runtime builds them from.</summary>
    public class TrainBlockDiagnosticsTests
    {
        private static string Model(string train) => @"model M {
    input x : float[2];
    target y : float[1];
    layer fc = dense(1);
    output p = fc(x);
    loss = mse(p, y);
    train { " + train + @" }
}
";

        [Theory]
        [InlineData("optimizer = adam(beta1: 1e5);", "1e5", "argument 'beta1' of optimizer 'adam' must be in [0, 1), but got 1e5")]
        [InlineData("optimizer = rmsprop(lr: 0.1, rho: 1.5);", "1.5", "argument 'rho' of optimizer 'rmsprop' must be in [0, 1), but got 1.5")]
        [InlineData("optimizer = adagrad(eps: 0);", "0", "argument 'eps' of optimizer 'adagrad' must be > 0, but got 0")]
        [InlineData("optimizer = sgd(lr: -0.1);", "-0.1", "argument 'lr' of optimizer 'sgd' must be >= 0, but got -0.1")]
        [InlineData("schedule = step(every: 1.5);", "1.5", "argument 'every' of schedule 'step' must be a whole number >= 1, but got 1.5")]
        [InlineData("schedule = exponential(gamma: 0);", "0", "argument 'gamma' of schedule 'exponential' must be > 0, but got 0")]
        [InlineData("optimizer = adadelta(rho: 1);", "1", "argument 'rho' of optimizer 'adadelta' must be in [0, 1), but got 1")]
        [InlineData("schedule = linear(start: 1, end: -0.5);", "-0.5", "argument 'end' of schedule 'linear' must be >= 0, but got -0.5")]
        [InlineData("schedule = onecycle(max_lr: 0.1, pct_start: 1.5);", "1.5", "argument 'pct_start' of schedule 'onecycle' must be in (0, 1), but got 1.5")]
        [InlineData("schedule = reduce_on_plateau(patience: 2, factor: 2);", "2)", "argument 'factor' of schedule 'reduce_on_plateau' must be in (0, 1), but got 2")]
        public void An_out_of_range_argument_is_an_error_at_the_argument_naming_the_range(string train, string argument, string message)
        {
            string text = Model(train);
            var result = ModelCompiler.Compile("m.model", text);
            var error = Assert.Single(result.Diagnostics, d => d.IsError);
            Assert.Equal(ModelC.Compiler.Diagnostics.DiagnosticCatalog.TrainSettingOutOfRange, error.Code);
            Assert.Equal(message, error.Message);
            Assert.Equal(7, error.Span.Line);
            string line = text.Split('\n')[6];
            int column = line.IndexOf(argument, line.IndexOf('(')) + 1;
            Assert.Equal(column, error.Span.Column);
        }

        [Fact]
        public void The_largest_valid_values_compile()
        {
            var result = ModelCompiler.Compile("m.model", Model("optimizer = adam(lr: 0, beta1: 0.999999, beta2: 0, eps: 1e-30, weight_decay: 0); schedule = cosine(warmup: 0);"));
            Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        }

        [Theory]
        [InlineData("optimizer = adadelta();")]
        [InlineData("optimizer = adadelta(lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0);")]
        [InlineData("optimizer = sgd(lr: 1); schedule = linear(1.0, 0.1);")]
        [InlineData("schedule = onecycle(max_lr: 0.1);")]
        [InlineData("schedule = reduce_on_plateau(patience: 2, factor: 0.5);")]
        [InlineData("schedule = reduce_on_plateau();")]
        public void The_newer_optimizers_and_schedules_compile(string train)
        {
            var result = ModelCompiler.Compile("m.model", Model(train));
            Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        }
    }
}
