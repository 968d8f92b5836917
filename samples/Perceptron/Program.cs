using System;
using System.Globalization;
using ModelC.Samples;
using ModelC.Samples.Perceptron;
using Spectre.Console;

// Usage: dotnet run --project samples/Perceptron [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 3, out int seed))
    return 1;

var data = SeparableData.Generate(seed, count: 200, margin: 0.05);
var model = new PerceptronModel(seed);
var run = PerceptronDemo.Run(model, data);

AnsiConsole.MarkupLine($"[bold]Perceptron learning rule[/] on {data.Count} separable points in [[-1, 1]]², " +
    $"margin ≥ {F(data.Margin, "F2")} from the true line (seed {seed}).");
AnsiConsole.MarkupLine("Model: score = fc(x), loss = perceptron(score, y), SGD lr 1 on one example at a time.");

var epochs = new Table().Title("Updates per epoch").AddColumns("Epoch", "Updates (= mistakes)");
for (int e = 0; e < run.MistakesPerEpoch.Count; e++)
    epochs.AddRow($"{e + 1}", $"{run.MistakesPerEpoch[e]}");
AnsiConsole.Write(epochs);

var summary = new Table().AddColumns("", "Value")
    .AddRow("Converged", run.Converged ? "[green]yes[/]" : "[red]no[/]")
    .AddRow("Updates", $"{run.Updates}")
    .AddRow("Epochs", $"{run.Epochs}")
    .AddRow("Novikoff bound on updates", F(run.UpdateBound, "F0"))
    .AddRow("Training errors", $"{run.TrainingErrors}");
AnsiConsole.Write(summary);

var (trueW1, trueW2, trueB) = SeparableData.TrueLine;
var lines = new Table().Title("Separating lines").AddColumns("", "w1 x1 + w2 x2 + b = 0", "x2 = a x1 + c");
lines.AddRow("Learned", Implicit(run.Line.W1, run.Line.W2, run.Line.B), Explicit(run.Line.W1, run.Line.W2, run.Line.B));
lines.AddRow("True", Implicit(trueW1, trueW2, trueB), Explicit(trueW1, trueW2, trueB));
AnsiConsole.Write(lines);
AnsiConsole.WriteLine("(Any line between the two classes is a solution: the perceptron stops at the first one it finds.)");
AnsiConsole.WriteLine();
AnsiConsole.WriteLine(ScatterPlot.Render(data, run.Line));
return 0;

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

static string Implicit(double w1, double w2, double b) => $"{F(w1, "F3")} x1 {Signed(w2)} x2 {Signed(b)} = 0";

static string Explicit(double w1, double w2, double b) =>
    w2 == 0 ? $"vertical: x1 = {F(-b / w1, "F3")}" : $"x2 = {F(-w1 / w2, "F3")} x1 {Signed(-b / w2)}";

static string Signed(double value) => value < 0 ? $"- {F(-value, "F3")}" : $"+ {F(value, "F3")}";
