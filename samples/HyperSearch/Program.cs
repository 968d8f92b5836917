using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using ModelC.Distributed;
using ModelC.Runtime.Classical;
using ModelC.Samples;
using ModelC.Samples.HyperSearch;
using Spectre.Console;

// Usage: dotnet run --project samples/HyperSearch [-- --seed N]
// Distributed: mpiexec -n 2 dotnet run --project samples/HyperSearch [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 0, out int seed))
    return 1;

// An evaluation trains 3 networks for 20 epochs: seconds, far below the bound on one collective.
using MpiGroup? group = MpiGroup.StartIfLaunched(TimeSpan.FromMinutes(10));
return group is null ? Search(seed, null) : group.Run(() => Search(seed, group));

static int Search(int seed, MpiGroup? group)
{
    const int Examples = 300, Folds = 3, Epochs = 20, Budget = 12, InitialPoints = 4;
    var data = MoonsData.Generate(Examples, noise: 0.2, seed);
    var validation = new CrossValidation(data, Folds, seed, Epochs, MoonsModels.Create);
    if (group is { IsRoot: false })
    {
        // The other processes score their share of every round quietly; rank 0 prints.
        HyperSearchRun.RunDistributed(validation, Budget, InitialPoints, seed, group);
        return 0;
    }

    AnsiConsole.MarkupLine($"[bold]Hyper-parameter search[/] on {Examples} two-moons points (noise 0.2, seed {seed}).");
    AnsiConsole.MarkupLine($"Model: 2 → w → w → 2 with tanh, Adam, batch 32, {Epochs} epochs. "
        + $"Searching learning rate in [[1e-4, 1]] (log scale) and width w in 2..64 (powers of two), scored by {Folds}-fold cross-validated loss.");
    AnsiConsole.MarkupLine($"Budget: {Budget} configurations each; the Gaussian-process search starts from {InitialPoints} random ones, which random search also draws first.");

    void Print(string search, ScoredConfiguration c) =>
        AnsiConsole.MarkupLine($"  {search,-8} #{c.Index + 1,2} {Source(c.Source),-21} lr {F(c.LearningRate, "0.00000")}  width {c.Width,2}  "
            + $"→ CV loss {F(c.Score.Loss, "F4")}, accuracy {Percent(c.Score.Accuracy)}");

    var clock = Stopwatch.StartNew();
    IReadOnlyList<ScoredConfiguration> bayesian;
    if (group is { Size: > 1 })
    {
        AnsiConsole.MarkupLine($"[bold]Gaussian-process search over {group.Size} processes[/]: {group.Size} candidates a round (kriging believer), "
            + "each process cross-validates one, rank 0 gathers the scores and refits.");
        bayesian = HyperSearchRun.RunDistributed(validation, Budget, InitialPoints, seed, group, c => Print("Bayesian", c))!;
    }
    else
    {
        bayesian = HyperSearchRun.RunBayesian(validation, Budget, InitialPoints, seed, Print);
    }

    AnsiConsole.MarkupLine($"Gaussian-process search: {F(clock.Elapsed.TotalSeconds, "F1")} s over {Processes(group?.Size ?? 1)}.");
    clock.Restart();
    var result = new HyperSearchResult(bayesian, HyperSearchRun.RunRandom(validation, Budget, seed, Print));
    AnsiConsole.MarkupLine($"Random search, in this process: {F(clock.Elapsed.TotalSeconds, "F1")} s.");

    var table = new Table().Title("Best configuration found").AddColumns("Search", "Learning rate", "Width", "CV loss", "CV accuracy", "Found at");
    foreach (var (name, best) in new[] { ("Gaussian process", result.BestBayesian), ("Random", result.BestRandom) })
        table.AddRow(name, F(best.LearningRate, "0.00000"), $"{best.Width}", F(best.Score.Loss, "F4"), Percent(best.Score.Accuracy), $"#{best.Index + 1}");
    AnsiConsole.Write(table);
    string verdict = result.BestBayesian.Score.Loss < result.BestRandom.Score.Loss
        ? "[green]The Gaussian-process search found a better cross-validated score than random search with the same budget.[/]"
        : "[yellow]Random search did as well as the Gaussian-process search this time.[/]";
    AnsiConsole.MarkupLine(verdict);
    return 0;
}

static string Processes(int count) => count == 1 ? "1 process" : $"{count} processes";

static string Source(EvaluationSource source) => source == EvaluationSource.Random ? "(random)" : "(expected improvement)";

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture) + " %";
