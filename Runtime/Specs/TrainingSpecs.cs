// The one table of optimizers, schedules and early-stopping metrics. This file is compiled twice:
// into ModelC.Runtime (namespace ModelC.Runtime.Specs), whose factories build the objects, and,
// linked, into ModelC.Compiler (namespace ModelC.Compiler.Specs), whose TrainBinder checks a train
// block against it. So it stays plain C# that netstandard2.0 compiles, and names no runtime type.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

#if MODELC_COMPILER
namespace ModelC.Compiler.Specs
#else
namespace ModelC.Runtime.Specs
#endif
{
    /// <summary>
    /// One argument of an optimizer or schedule: its PyTorch name, its default (null: required)
    /// and the values it accepts, a finite number between two bounds, possibly whole.
    /// </summary>
    public sealed class ArgumentSpec
    {
        private ArgumentSpec(string name, double? defaultValue, double minimum, bool minimumIncluded, double maximum, bool whole)
        {
            Name = name;
            Default = defaultValue;
            Minimum = minimum;
            MinimumIncluded = minimumIncluded;
            Maximum = maximum;
            Whole = whole;
        }

        public string Name { get; }

        /// <summary>The value when the argument is not given; null when it must be given.</summary>
        public double? Default { get; }

        public double Minimum { get; }

        public bool MinimumIncluded { get; }

        /// <summary>The exclusive upper bound (infinity: none).</summary>
        public double Maximum { get; }

        public bool Whole { get; }

        /// <summary>A finite number >= 0 (a learning rate, a weight decay).</summary>
        public static ArgumentSpec NonNegative(string name, double? defaultValue) =>
            new ArgumentSpec(name, defaultValue, 0, true, double.PositiveInfinity, false);

        /// <summary>A finite number > 0 (an epsilon, a decay factor).</summary>
        public static ArgumentSpec Positive(string name, double? defaultValue) =>
            new ArgumentSpec(name, defaultValue, 0, false, double.PositiveInfinity, false);

        /// <summary>A decay rate in [0, 1) (beta, rho).</summary>
        public static ArgumentSpec Rate(string name, double? defaultValue) =>
            new ArgumentSpec(name, defaultValue, 0, true, 1, false);

        /// <summary>A share in (0, 1): the rising part of a one-cycle schedule.</summary>
        public static ArgumentSpec Fraction(string name, double? defaultValue) =>
            new ArgumentSpec(name, defaultValue, 0, false, 1, false);

        /// <summary>A multiplier in (0, 1) that shrinks a rate (reduce_on_plateau's factor).</summary>
        public static ArgumentSpec Factor(string name, double? defaultValue) =>
            new ArgumentSpec(name, defaultValue, 0, false, 1, false);

        /// <summary>A finite number >= 1 (a divisor that must not raise the rate).</summary>
        public static ArgumentSpec AtLeastOne(string name, double? defaultValue) =>
            new ArgumentSpec(name, defaultValue, 1, true, double.PositiveInfinity, false);

        /// <summary>A whole number >= minimum (a count of epochs or steps).</summary>
        public static ArgumentSpec Count(string name, double? defaultValue, int minimum) =>
            new ArgumentSpec(name, defaultValue, minimum, true, int.MaxValue + 1.0, true);

        public bool Accepts(double value) =>
            !double.IsNaN(value) && !double.IsInfinity(value)
            && (MinimumIncluded ? value >= Minimum : value > Minimum)
            && value < Maximum
            && (!Whole || value == Math.Floor(value));

        /// <summary>What Accepts means, for messages: "in [0, 1)", "> 0", "a whole number >= 1".</summary>
        public string Range
        {
            get
            {
                string minimum = Minimum.ToString("R", CultureInfo.InvariantCulture);
                if (Whole) return $"a whole number >= {minimum}";
                if (!double.IsInfinity(Maximum))
                    return $"in {(MinimumIncluded ? "[" : "(")}{minimum}, {Maximum.ToString("R", CultureInfo.InvariantCulture)})";
                return $"{(MinimumIncluded ? ">=" : ">")} {minimum}";
            }
        }
    }

    /// <summary>An optimizer or schedule: its name in a train block and its arguments in positional order.</summary>
    public sealed class CallSpec
    {
        public CallSpec(string name, params ArgumentSpec[] arguments)
        {
            Name = name;
            Arguments = arguments;
        }

        public string Name { get; }

        public IReadOnlyList<ArgumentSpec> Arguments { get; }

        public ArgumentSpec? Argument(string name) => Arguments.FirstOrDefault(a => a.Name == name);

        /// <summary>How to call it, with the defaults: "adam(lr: 0.001, beta1: 0.9, ...)".</summary>
        public string Usage => $"{Name}({string.Join(", ", Arguments.Select(a => a.Default is double d ? $"{a.Name}: {d.ToString("R", CultureInfo.InvariantCulture)}" : a.Name))})";

        /// <summary>
        /// The given arguments checked and completed with the defaults, or null with
        /// <paramref name="problem"/> saying why and <paramref name="argument"/> naming the culprit.
        /// </summary>
        public Dictionary<string, double>? Resolve(IReadOnlyDictionary<string, double> given, out string? problem, out string? argument)
        {
            foreach (var name in given.Keys)
            {
                if (Argument(name) is null)
                {
                    (problem, argument) = ($"'{Name}' has no argument '{name}': {Usage}", name);
                    return null;
                }
            }
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var spec in Arguments)
            {
                if (given.TryGetValue(spec.Name, out double value)) { }
                else if (spec.Default is double fallback) value = fallback;
                else
                {
                    (problem, argument) = ($"'{Name}' needs argument '{spec.Name}': {Usage}", spec.Name);
                    return null;
                }
                if (!spec.Accepts(value))
                {
                    (problem, argument) = ($"argument '{spec.Name}' of '{Name}' must be {spec.Range}, but got {value.ToString("R", CultureInfo.InvariantCulture)}", spec.Name);
                    return null;
                }
                values[spec.Name] = value;
            }
            (problem, argument) = (null, null);
            return values;
        }
    }

    /// <summary>Everything a train block may name, with PyTorch's argument names and defaults.</summary>
    public static class TrainingSpecs
    {
        /// <summary>The optimizer TrainStep uses when the train block names none.</summary>
        public const string DefaultOptimizer = "sgd";

        /// <summary>The learning rate of <see cref="DefaultOptimizer"/> when the train block names no optimizer.</summary>
        public const double DefaultLearningRate = 0.01;

        public static IReadOnlyList<CallSpec> Optimizers { get; } = new[]
        {
            new CallSpec("sgd", ArgumentSpec.NonNegative("lr", null), ArgumentSpec.NonNegative("weight_decay", 0)),
            new CallSpec("momentum", ArgumentSpec.NonNegative("lr", null), ArgumentSpec.Rate("beta", 0.9), ArgumentSpec.NonNegative("weight_decay", 0)),
            new CallSpec("nesterov", ArgumentSpec.NonNegative("lr", null), ArgumentSpec.Rate("beta", 0.9), ArgumentSpec.NonNegative("weight_decay", 0)),
            new CallSpec("adagrad", ArgumentSpec.NonNegative("lr", 0.01), ArgumentSpec.Positive("eps", 1e-10), ArgumentSpec.NonNegative("weight_decay", 0)),
            new CallSpec("rmsprop", ArgumentSpec.NonNegative("lr", 0.01), ArgumentSpec.Rate("rho", 0.99), ArgumentSpec.Positive("eps", 1e-8),
                ArgumentSpec.NonNegative("weight_decay", 0)),
            new CallSpec("adadelta", ArgumentSpec.NonNegative("lr", 1.0), ArgumentSpec.Rate("rho", 0.9), ArgumentSpec.Positive("eps", 1e-6),
                ArgumentSpec.NonNegative("weight_decay", 0)),
            new CallSpec("adam", ArgumentSpec.NonNegative("lr", 1e-3), ArgumentSpec.Rate("beta1", 0.9), ArgumentSpec.Rate("beta2", 0.999),
                ArgumentSpec.Positive("eps", 1e-8), ArgumentSpec.NonNegative("weight_decay", 0)),
            new CallSpec("adamw", ArgumentSpec.NonNegative("lr", 1e-3), ArgumentSpec.Rate("beta1", 0.9), ArgumentSpec.Rate("beta2", 0.999),
                ArgumentSpec.Positive("eps", 1e-8), ArgumentSpec.NonNegative("weight_decay", 0.01)),
        };

        /// <summary>
        /// Learning-rate schedules. step and exponential change the rate once per epoch; cosine,
        /// warmup_linear, linear and onecycle every optimizer step (cosine's warmup, in epochs, is at
        /// most the epochs trained); reduce_on_plateau when the epoch's loss stops improving.
        /// </summary>
        public static IReadOnlyList<CallSpec> Schedules { get; } = new[]
        {
            new CallSpec("constant"),
            new CallSpec("step", ArgumentSpec.Count("every", null, 1), ArgumentSpec.Positive("gamma", 0.1)),
            new CallSpec("exponential", ArgumentSpec.Positive("gamma", null)),
            new CallSpec("cosine", ArgumentSpec.Count("warmup", 0, 0)),
            new CallSpec("warmup_linear", ArgumentSpec.Count("steps", null, 1)),
            new CallSpec("linear", ArgumentSpec.NonNegative("start", null), ArgumentSpec.NonNegative("end", null)),
            new CallSpec("onecycle", ArgumentSpec.Positive("max_lr", null), ArgumentSpec.Fraction("pct_start", 0.3),
                ArgumentSpec.AtLeastOne("div_factor", 25), ArgumentSpec.AtLeastOne("final_div_factor", 1e4)),
            new CallSpec("reduce_on_plateau", ArgumentSpec.Count("patience", 10, 0), ArgumentSpec.Factor("factor", 0.1),
                ArgumentSpec.NonNegative("threshold", 1e-4), ArgumentSpec.Count("cooldown", 0, 0), ArgumentSpec.NonNegative("min_lr", 0)),
        };

        /// <summary>What early_stopping(metric: ...) may monitor; the first is the default.</summary>
        public static IReadOnlyList<string> EarlyStoppingMetrics { get; } = new[] { "val_loss", "val_accuracy", "loss" };

        /// <summary>Whether a larger value of the metric is better (accuracy) rather than smaller (losses).</summary>
        public static bool HigherIsBetter(string metric) => metric == "val_accuracy";

        public static CallSpec? Optimizer(string name) => Optimizers.FirstOrDefault(o => o.Name == name);

        public static CallSpec? Schedule(string name) => Schedules.FirstOrDefault(s => s.Name == name);
    }
}
