using System.Globalization;
using System.Linq;
using ModelC.Samples;
using ModelC.Samples.LogisticRegression;
using Spectre.Console;

// Usage: dotnet run --project samples/LogisticRegression [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

var data = TwoBlobs.Generate(seed);
var model = new LogisticModel(seed);
var run = LogisticDemo.Run(model, data, seed);

AnsiConsole.MarkupLine($"[bold]Logistic regression[/] on two overlapping Gaussian classes in 2-D (seed {seed}): " +
    $"class 0 around {Pair(TwoBlobs.Class0Mean.X1, TwoBlobs.Class0Mean.X2)}, class 1 around {Pair(TwoBlobs.Class1Mean.X1, TwoBlobs.Class1Mean.X2)}, unit variance.");
AnsiConsole.MarkupLine($"Shuffled and split 70/30: {data.Training.Count} training and {data.Test.Count} test points. " +
    $"Model LogisticModel: logit = dense(1), loss bce_logits; SGD lr {F(LogisticModel.CreateOptimizer().LearningRate, "G3")}, batch {run.BatchSize}.");

var progress = new Table().Title("Training").AddColumns("Epoch", "Train loss", "Train accuracy", "Test accuracy");
foreach (var epoch in run.Epochs.Where(e => e.Epoch is 1 or 2 or 5 || e.Epoch % 10 == 0 || e.Epoch == run.Epochs.Count).Distinct())
    progress.AddRow($"{epoch.Epoch}", F(epoch.TrainingLoss, "F4"), Percent(epoch.TrainingAccuracy), Percent(epoch.TestAccuracy));
AnsiConsole.Write(progress);

var (bayesW1, bayesW2, bayesB) = TwoBlobs.BayesLogOdds;
var coefficients = new Table().Title("Log-odds  w1 x1 + w2 x2 + b").AddColumns("", "w1", "w2", "b")
    .AddRow("Learned", F(run.Coefficients.W1, "F3"), F(run.Coefficients.W2, "F3"), F(run.Coefficients.B, "F3"))
    .AddRow("Bayes-optimal (true)", F(bayesW1, "F3"), F(bayesW2, "F3"), F(bayesB, "F3"));
AnsiConsole.Write(coefficients);

var accuracy = new Table().Title("Accuracy").AddColumns("", "Accuracy")
    .AddRow("Training set", Percent(run.TrainingAccuracy))
    .AddRow("[bold]Test set (held out)[/]", $"[bold]{Percent(run.TestAccuracy)}[/]")
    .AddRow("True log-odds on the test set", Percent(run.BayesRuleTestAccuracy))
    .AddRow("Bayes-optimal, expected: Φ(‖μ1 − μ0‖ / 2)", Percent(TwoBlobs.BayesAccuracy));
AnsiConsole.Write(accuracy);

var samples = new Table().Title("Some test points").AddColumns("x1", "x2", "Class", "P(class 1)", "Predicted");
foreach (var p in run.Samples)
{
    int predicted = p.Probability >= 0.5 ? 1 : 0;
    samples.AddRow(F(p.X1, "F2"), F(p.X2, "F2"), $"{p.Label}", F(p.Probability, "F3"),
        predicted == p.Label ? $"[green]{predicted}[/]" : $"[red]{predicted}[/]");
}
AnsiConsole.Write(samples);
return 0;

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture) + " %";

static string Pair(double x1, double x2) => $"({F(x1, "F1")}, {F(x2, "F1")})";
