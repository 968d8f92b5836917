using System.Globalization;
using System.Linq;
using ModelC.Samples;
using ModelC.Samples.PolynomialRegression;
using Spectre.Console;

// Usage: dotnet run --project samples/PolynomialRegression [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 4, out int seed))
    return 1;

var data = PolynomialData.Generate(seed);
var sweep = PolynomialDemo.Run(degree => PolynomialModels.Create(degree, seed), data, PolynomialModels.MaxDegree);
double sigmaSquared = data.Noise * data.Noise;

AnsiConsole.MarkupLine($"[bold]Polynomial regression[/]: y = sin(2πx) + noise (σ = {F(data.Noise, "F1")}), x in [[0, 1]] " +
    $"rescaled to [[-1, 1]] (seed {seed}).");
AnsiConsole.MarkupLine($"{data.Training.Count} training, {data.Validation.Count} validation and {data.Test.Count} test points, drawn independently. " +
    "With one data set to divide, a 60/20/20 train/validation/test split is the usual recipe.");
AnsiConsole.MarkupLine($"Each degree d is the model PolyDeg<d>: fc(poly(x, d)) with mse, trained by {sweep.TrainingSteps} full-batch Adam steps.");

var first = sweep.Degrees[0];
var chosen = sweep.Degrees.Single(r => r.Degree == sweep.BestDegree);
var last = sweep.Degrees[^1];
var table = new Table().Title("Mean squared error by degree")
    .AddColumns("Degree", "Params", "Train", "Validation", "LS train", "LS valid.", "");
foreach (var row in sweep.Degrees)
{
    bool best = row.Degree == sweep.BestDegree;
    string Mark(double value) => best ? $"[green]{F(value, "F4")}[/]" : F(value, "F4");
    table.AddRow($"{row.Degree}", $"{row.Degree + 1}", Mark(row.TrainingMse), Mark(row.ValidationMse),
        F(row.ExactTrainingMse, "F4"), F(row.ExactValidationMse, "F4"), Verdict(row));
}
AnsiConsole.Write(table);

AnsiConsole.MarkupLine($"[bold]Underfitting[/] (degree {first.Degree}): train {F(first.TrainingMse, "F3")} and validation {F(first.ValidationMse, "F3")} are both high: a line cannot bend like a sine.");
AnsiConsole.MarkupLine($"[bold]Overfitting[/] (degree {last.Degree}): train {F(last.TrainingMse, "F3")} is lower than at degree {chosen.Degree}, " +
    $"validation {F(last.ValidationMse, "F3")} higher: the extra terms fit the noise.");
AnsiConsole.MarkupLine($"The validation set picks degree [green]{sweep.BestDegree}[/]; on the untouched test set it scores " +
    $"{F(sweep.BestDegreeTestMse, "F3")} (the noise alone gives σ² = {F(sigmaSquared, "F3")}).");
AnsiConsole.MarkupLine("[grey]LS: the exact least-squares polynomial of that degree (QR), where endless training would end up. " +
    "A fixed number of gradient steps stops short of it in the high powers, which regularizes like early stopping.[/]");
return 0;

string Verdict(DegreeResult row) =>
    row.Degree == sweep.BestDegree ? "[green]← chosen[/]"
    : row.Degree < sweep.BestDegree && row.ValidationMse > 1.5 * chosen.ValidationMse ? "underfits"
    : row.Degree > sweep.BestDegree && row.ValidationMse > 1.2 * chosen.ValidationMse ? "overfits"
    : "";

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
