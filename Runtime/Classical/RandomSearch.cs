using System;
using System.Collections.Generic;
using MathNet.Numerics.Random;

namespace ModelC.Runtime.Classical;

/// <summary>The baseline for <see cref="BayesianOptimizer"/>: every configuration drawn uniformly from the search space.</summary>
public static class RandomSearch
{
    /// <summary>
    /// Evaluates <paramref name="budget"/> random configurations and returns them all with the best.
    /// With the same seed the draws match the Bayesian optimizer's initial random points.
    /// </summary>
    public static SearchResult Minimize(SearchSpace space, Func<IReadOnlyDictionary<string, double>, double> objective, int budget, int seed = 0)
    {
        var run = new SearchRun(space, objective, budget);
        var random = new Xoshiro256StarStar(seed);
        for (int i = 0; i < budget; i++)
            run.Evaluate(space.SampleUnit(random), EvaluationSource.Random);
        return run.Result();
    }
}
