using System.Globalization;
using ModelC.Samples;
using ModelC.Samples.LinearRegression;
using Spectre.Console;

// Usage: dotnet run --project samples/LinearRegression [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

var data = LinearData.Generate(seed);
var run = LinearRegressionDemo.Run(new LinearModel(seed), data);

AnsiConsole.MarkupLine($"[bold]Linear regression[/] on {data.Count} points y = 3 x1 - 2 x2 + 0.5 + noise (σ = {F(data.Noise, "F2")}, seed {seed}).");
AnsiConsole.MarkupLine("Gradient descent: model LinearModel (dense(1), mse), full batch, " +
    $"SGD lr {F(LinearModel.CreateOptimizer().LearningRate, "G3")}, until every |gradient| < 1e-5.");

var history = new Table().Title("Training loss (MSE)").AddColumns("Step", "MSE");
foreach (var point in run.History)
    history.AddRow($"{point.Step}", F(point.Loss, "F6"));
AnsiConsole.Write(history);

var coefficients = new Table().Title("Coefficients").AddColumns("", "Gradient descent", "Closed form (QR)", "|Difference|", "True");
AddRow("w1", run.GradientDescent.W1, run.ClosedForm.W1, LinearData.TruePlane.W1);
AddRow("w2", run.GradientDescent.W2, run.ClosedForm.W2, LinearData.TruePlane.W2);
AddRow("b", run.GradientDescent.B, run.ClosedForm.B, LinearData.TruePlane.B);
coefficients.AddRow("MSE", F(run.GradientDescentMse, "F6"), F(run.ClosedFormMse, "F6"), "", F(data.Noise * data.Noise, "F6") + " (σ²)");
AnsiConsole.Write(coefficients);

double gap = run.GradientDescent.MaxDifference(run.ClosedForm);
AnsiConsole.MarkupLine($"{(run.Converged ? "Converged" : "[red]Not converged[/]")} after {run.Steps} steps; " +
    $"max |difference| {gap.ToString("0.0E+0", CultureInfo.InvariantCulture)} " +
    (gap < 1e-3 ? "[green](agree to 1e-3)[/]" : "[red](more than 1e-3)[/]") + ".");
AnsiConsole.MarkupLine($"The plane explains R² = {F(run.ClosedFormRSquared, "F4")} of the variance of y; the rest is the noise.");
return 0;

void AddRow(string name, double descent, double closed, double truth) =>
    coefficients.AddRow(name, F(descent, "F6"), F(closed, "F6"), System.Math.Abs(descent - closed).ToString("0.0E+0", CultureInfo.InvariantCulture), F(truth, "F1"));

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
