using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ModelC.Runtime.Optimizers;
using ModelC.Runtime.Specs;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>The spec table is the one source of optimizer names, defaults and ranges.</summary>
public class OptimizerFactoryTests
{
    public static TheoryData<string> Names => new(TrainingSpecs.Optimizers.Select(o => o.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_spec_builds_its_optimizer_and_the_constructor_defaults_agree_with_the_table(string name)
    {
        CallSpec spec = TrainingSpecs.Optimizer(name)!;
        IOptimizer optimizer = OptimizerFactory.Create(name, new Dictionary<string, double> { ["lr"] = 0.125 });
        Assert.Equal(name, ((OptimizerBase)optimizer).Kind);
        Assert.Equal(0.125f, optimizer.LearningRate);

        // C# callers of `new Adam()` get PyTorch's defaults too; they must be the table's.
        ConstructorInfo constructor = Assert.Single(optimizer.GetType().GetConstructors());
        System.Reflection.ParameterInfo[] parameters = constructor.GetParameters();
        Assert.Equal(spec.Arguments.Count, parameters.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            ArgumentSpec argument = spec.Arguments[i];
            Assert.Equal(argument.Name.Replace("_", ""), parameters[i].Name!.ToLowerInvariant());
            Assert.Equal(argument.Default is not null, parameters[i].HasDefaultValue);
            if (argument.Default is double d)
            {
                Assert.Equal((float)d, (float)parameters[i].DefaultValue!);
            }
        }
    }

    [Theory]
    [InlineData("adam", "beta1", 1e5)]
    [InlineData("rmsprop", "rho", 1)]
    [InlineData("adagrad", "eps", 0)]
    [InlineData("sgd", "lr", -1)]
    [InlineData("adamw", "weight_decay", double.NaN)]
    public void An_out_of_range_argument_is_refused_by_name(string name, string argument, double value)
    {
        var arguments = new Dictionary<string, double> { ["lr"] = 0.1, [argument] = value };
        var e = Assert.ThrowsAny<ArgumentException>(() => OptimizerFactory.Create(name, arguments));
        Assert.Equal(argument, e.ParamName);
        Assert.Contains(TrainingSpecs.Optimizer(name)!.Argument(argument)!.Range, e.Message);
    }

    [Fact]
    public void Unknown_names_missing_and_unknown_arguments_are_refused()
    {
        Assert.Contains("Unknown optimizer 'adan'", Assert.ThrowsAny<ArgumentException>(() => OptimizerFactory.Create("adan", new Dictionary<string, double>())).Message);
        Assert.Equal("lr", Assert.ThrowsAny<ArgumentException>(() => OptimizerFactory.Create("sgd", new Dictionary<string, double>())).ParamName);
        Assert.Equal("beta", Assert.ThrowsAny<ArgumentException>(() => OptimizerFactory.Create("adam", new Dictionary<string, double> { ["beta"] = 0.5 })).ParamName);
    }

    [Fact]
    public void No_spec_is_plain_sgd_with_lr_0_01()
    {
        var optimizer = Assert.IsType<Sgd>(OptimizerFactory.Create(null));
        Assert.Equal(0.01f, optimizer.LearningRate);
    }
}
