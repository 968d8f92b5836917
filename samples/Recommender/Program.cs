using System.Globalization;
using System.Linq;
using ModelC.Samples;
using ModelC.Samples.Recommender;
using Spectre.Console;

// Usage: dotnet run --project samples/Recommender [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

var (training, test) = Ratings.Generate(seed);
var model = new MatrixFactorization(seed);
var run = RecommenderDemo.Run(model, training, test, seed);

AnsiConsole.MarkupLine($"[bold]Matrix factorization[/] of a {Ratings.Users} × {Ratings.Items} ratings matrix (seed {seed}): ratings are " +
    $"3.5 + user bias + item bias + {Ratings.Tastes} hidden tastes + noise, rounded to 1–5 stars.");
AnsiConsole.MarkupLine($"{training.Count} training ratings and {test.Count} held-out ones. Model: predicted = U[[user]] · V[[item]] + biases " +
    $"with 8 factors, mse + 2e-4 l2(U, V), Adam, batch {run.BatchSize}.");

var progress = new Table().Title("Training").AddColumns("Epoch", "Training RMSE", "Held-out RMSE");
foreach (var epoch in run.Epochs.Where(e => e.Epoch is 1 or 2 or 3 or 5 || e.Epoch % 4 == 0))
    progress.AddRow($"{epoch.Epoch}", F(epoch.TrainingRmse), F(epoch.TestRmse));
AnsiConsole.Write(progress);

AnsiConsole.Write(new Table().Title("Held-out RMSE (stars)").AddColumns("Predictor", "RMSE")
    .AddRow("Global mean rating", F(run.GlobalMeanRmse))
    .AddRow("Item mean rating", F(run.ItemMeanRmse))
    .AddRow("[bold]Matrix factorization[/]", $"[bold]{F(run.TestRmse)}[/]"));
return 0;

static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
