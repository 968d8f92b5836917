using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

public class BayesianOptimizerTests
{
    private static readonly SearchSpace Box = new(
        SearchDimension.Continuous("a", -2, 2),
        SearchDimension.Continuous("b", -2, 2));

    // Minimum 0 at (a, b) = (0.7, −0.4); elongated so random search struggles more than a model does.
    private static double Quadratic(IReadOnlyDictionary<string, double> p)
        => Math.Pow(p["a"] - 0.7, 2) + 3 * Math.Pow(p["b"] + 0.4, 2);

    [Fact]
    public void Finds_the_minimum_of_a_quadratic_better_than_random_search_with_the_same_budget()
    {
        int[] seeds = { 1, 2, 3, 4, 5 };
        var bayesian = seeds.Select(s => BayesianOptimizer.Minimize(Box, Quadratic, budget: 25, seed: s).Best.Value).ToArray();
        var random = seeds.Select(s => RandomSearch.Minimize(Box, Quadratic, budget: 25, seed: s).Best.Value).ToArray();

        Assert.True(bayesian.Average() < random.Average() / 5, $"Bayesian {bayesian.Average()} vs random {random.Average()}");
        Assert.All(bayesian, best => Assert.True(best < 0.02, $"best {best}"));
    }

    [Fact]
    public void History_holds_the_budget_in_order_starting_with_the_random_search_draws()
    {
        var result = BayesianOptimizer.Minimize(Box, Quadratic, budget: 12, seed: 9, initialPoints: 4);
        var random = RandomSearch.Minimize(Box, Quadratic, budget: 4, seed: 9);

        Assert.Equal(12, result.History.Count);
        Assert.Equal(Enumerable.Range(0, 12), result.History.Select(e => e.Index));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(EvaluationSource.Random, result.History[i].Source);
            Assert.Equal(random.History[i].Parameters["a"], result.History[i].Parameters["a"]);
            Assert.Equal(random.History[i].Value, result.History[i].Value);
        }
        Assert.All(result.History.Skip(4), e => Assert.Equal(EvaluationSource.ExpectedImprovement, e.Source));
        Assert.Equal(result.History.Min(e => e.Value), result.Best.Value);
        Assert.Equal(result.Best.Value, result.BestSoFar()[^1]);
    }

    [Fact]
    public void Same_seed_reproduces_the_search()
    {
        var first = BayesianOptimizer.Minimize(Box, Quadratic, budget: 10, seed: 3);
        var second = BayesianOptimizer.Minimize(Box, Quadratic, budget: 10, seed: 3);
        Assert.Equal(first.History.Select(e => e.Value), second.History.Select(e => e.Value));
    }

    [Fact]
    public void Integer_and_log_dimensions_receive_values_in_range_and_the_integer_optimum_is_found()
    {
        var space = new SearchSpace(
            SearchDimension.Integer("width", 1, 40),
            SearchDimension.Continuous("rate", 1e-4, 1, log: true));
        var seen = new List<IReadOnlyDictionary<string, double>>();
        double Objective(IReadOnlyDictionary<string, double> p)
        {
            seen.Add(p);
            return Math.Pow(p["width"] - 23, 2) + Math.Pow(Math.Log10(p["rate"]) + 2, 2);
        }

        var result = BayesianOptimizer.Minimize(space, Objective, budget: 30, seed: 5);

        Assert.All(seen, p =>
        {
            Assert.Equal(Math.Round(p["width"]), p["width"]);
            Assert.InRange(p["width"], 1, 40);
            Assert.InRange(p["rate"], 1e-4, 1);
        });
        Assert.Equal(23, result.Best.Parameters["width"]);
        Assert.InRange(result.Best.Parameters["rate"], 10e-4 * 5, 0.1 / 5);   // within a factor of 5 of 0.01
    }

    [Fact]
    public void Integer_dimension_maps_equal_cells_to_each_value()
    {
        var width = SearchDimension.Integer("width", 3, 5);
        Assert.Equal(3, width.FromUnit(0.0));
        Assert.Equal(3, width.FromUnit(0.33));
        Assert.Equal(4, width.FromUnit(0.34));
        Assert.Equal(5, width.FromUnit(1.0));
        Assert.Equal(0.5, width.ToUnit(4), 12);

        var rate = SearchDimension.Continuous("rate", 1e-3, 1e-1, log: true);
        Assert.Equal(1e-2, rate.FromUnit(0.5), 12);
        Assert.Equal(0.5, rate.ToUnit(1e-2), 12);
    }

    [Fact]
    public void A_non_finite_objective_value_stops_the_search_with_the_configuration()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BayesianOptimizer.Minimize(Box, _ => double.NaN, budget: 3, seed: 0));
        Assert.Contains("NaN", error.Message);
        Assert.Contains("a = ", error.Message);
    }
}
