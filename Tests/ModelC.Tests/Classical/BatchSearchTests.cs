using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

public class BatchSearchTests
{
    private static readonly SearchSpace Box = new(
        SearchDimension.Continuous("a", -2, 2),
        SearchDimension.Continuous("b", -2, 2));

    private static double Quadratic(IReadOnlyDictionary<string, double> p)
        => Math.Pow(p["a"] - 0.7, 2) + 3 * Math.Pow(p["b"] + 0.4, 2);

    private static IReadOnlyList<double> Each(IReadOnlyList<IReadOnlyDictionary<string, double>> batch) => batch.Select(Quadratic).ToArray();

    [Fact]
    public void A_batch_of_one_is_the_sequential_search()
    {
        var sequential = BayesianOptimizer.Minimize(Box, Quadratic, budget: 12, seed: 2, initialPoints: 4);
        var batched = BayesianOptimizer.MinimizeBatch(Box, Each, budget: 12, batchSize: 1, seed: 2, initialPoints: 4);
        Assert.Equal(sequential.History.Select(e => e.Value), batched.History.Select(e => e.Value));
    }

    [Theory]
    [InlineData(BatchStrategy.KrigingBeliever)]
    [InlineData(BatchStrategy.ConstantLiar)]
    public void Rounds_of_four_spend_the_budget_in_calls_of_four_distinct_candidates_and_find_the_minimum(BatchStrategy strategy)
    {
        var rounds = new List<int>();
        var bests = new List<double>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var result = BayesianOptimizer.MinimizeBatch(Box, batch =>
            {
                rounds.Add(batch.Count);
                Assert.Equal(batch.Count, batch.Select(p => (p["a"], p["b"])).Distinct().Count());
                return Each(batch);
            }, budget: 26, batchSize: 4, seed: seed, initialPoints: 6, strategy: strategy);
            Assert.Equal(26, result.History.Count);
            bests.Add(result.Best.Value);
        }

        // 6 initial points as 4 + 2, then 20 proposals as five rounds of 4, per seed.
        Assert.Equal(Enumerable.Repeat(new[] { 4, 2, 4, 4, 4, 4, 4 }, 3).SelectMany(r => r), rounds);
        Assert.All(bests, best => Assert.True(best < 0.05, $"best {best} with {strategy}"));
    }

    [Fact]
    public void An_objective_returning_the_wrong_number_of_values_is_rejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BayesianOptimizer.MinimizeBatch(Box, batch => new double[batch.Count + 1], budget: 4, batchSize: 2));
        Assert.Contains("returned 3 value(s)", error.Message);
    }
}
