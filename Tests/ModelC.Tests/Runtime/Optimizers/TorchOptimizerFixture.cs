using System.Collections.Generic;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>optimizers.json: one parameter vector, ten gradients, and torch.optim's trajectory for each case.</summary>
internal sealed record TorchOptimizerFixture(string Torch, double[] Initial, double[][] Gradients, TorchOptimizerCase[] Cases);

/// <summary>A torch.optim run: ModelC's optimizer kind and arguments, and the parameters after each step.</summary>
internal sealed record TorchOptimizerCase(string Name, string Kind, Dictionary<string, double> Arguments, double[][] Trajectory)
{
    public override string ToString() => Name;
}
