using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Specs;

namespace ModelC.Runtime.Optimizers;

/// <summary>
/// Builds the optimizer an <see cref="OptimizerSpec"/> names. The names, argument names, defaults
/// and valid ranges come from <see cref="TrainingSpecs.Optimizers"/>, the table the compiler checks
/// train blocks against; this class only maps a checked spec to a constructor.
/// </summary>
public static class OptimizerFactory
{
    private static readonly Dictionary<string, Func<Func<string, float>, IOptimizer>> Constructors = new(StringComparer.Ordinal)
    {
        ["sgd"] = a => new Sgd(a("lr"), a("weight_decay")),
        ["momentum"] = a => new Momentum(a("lr"), a("beta"), a("weight_decay")),
        ["nesterov"] = a => new Nesterov(a("lr"), a("beta"), a("weight_decay")),
        ["adagrad"] = a => new Adagrad(a("lr"), a("eps"), a("weight_decay")),
        ["rmsprop"] = a => new RmsProp(a("lr"), a("rho"), a("eps"), a("weight_decay")),
        ["adadelta"] = a => new Adadelta(a("lr"), a("rho"), a("eps"), a("weight_decay")),
        ["adam"] = a => new Adam(a("lr"), a("beta1"), a("beta2"), a("eps"), a("weight_decay")),
        ["adamw"] = a => new AdamW(a("lr"), a("beta1"), a("beta2"), a("eps"), a("weight_decay")),
    };

    /// <summary>The names this factory builds, in the table's order.</summary>
    public static IEnumerable<string> Names => TrainingSpecs.Optimizers.Select(o => o.Name);

    /// <summary>
    /// The optimizer <paramref name="spec"/> describes, its missing arguments at their defaults;
    /// null means what a model without an optimizer in its train block uses, SGD with lr 0.01.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown optimizer or argument, a missing or out-of-range argument; the message names it.</exception>
    public static IOptimizer Create(OptimizerSpec? spec)
    {
        spec ??= new OptimizerSpec(TrainingSpecs.DefaultOptimizer, new Dictionary<string, double> { ["lr"] = TrainingSpecs.DefaultLearningRate });
        CallSpec table = TrainingSpecs.Optimizer(spec.Name)
            ?? throw new ArgumentException($"Unknown optimizer '{spec.Name}' (known: {string.Join(", ", Names)}).", nameof(spec));
        Dictionary<string, double> values = table.Resolve(spec.Arguments, out string? problem, out string? argument)
            ?? throw new ArgumentException($"Optimizer {problem}.", argument);
        if (!Constructors.TryGetValue(spec.Name, out Func<Func<string, float>, IOptimizer>? construct))
        {
            throw new InvalidOperationException($"The optimizer '{spec.Name}' has a spec but no constructor.");
        }

        return construct(name => (float)values[name]);
    }

    /// <summary>Builds an optimizer from a name and arguments, as a train block writes them.</summary>
    public static IOptimizer Create(string name, IReadOnlyDictionary<string, double> arguments) =>
        Create(new OptimizerSpec(name, arguments));
}
