using System;
using System.Globalization;
using System.Linq;
using ModelC.Samples;
using ModelC.Samples.Dcgan;
using ModelC.Samples.FashionMlp;
using Spectre.Console;

// Usage: dotnet run -c Release --project samples/Dcgan [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

const int Steps = 1000;
var (train, test) = FashionData.Load(FashionData.ShippedDirectory);
var generator = new Generator(seed);
var discriminator = new Discriminator(seed + 1);
AnsiConsole.MarkupLine($"[bold]DCGAN[/] on the {train.Count:N0} shipped Fashion-MNIST training images, seed {seed}: generator 32 → dense 16×7×7 → " +
    "conv_transpose2d 8@14×14 → conv_transpose2d 1@28×28 (batchnorm, relu, sigmoid), discriminator conv 8@14×14 → conv 16@7×7 → 1 " +
    $"(batchnorm, leaky relu), DCGAN's normal(0, 0.02) and normal(1, 0.02) initializers, Adam lr 2e-3, β1 0.5, batch 64, {Steps} steps.");

var clock = System.Diagnostics.Stopwatch.StartNew();
var run = DcganDemo.Run(generator, discriminator, new Judge(seed + 2), train, test, Steps, seed);
double seconds = clock.Elapsed.TotalSeconds;

string Percent(double v) => (100 * v).ToString("F1", CultureInfo.InvariantCulture) + " %";
var table = new Table().Title($"What the judge (an MLP, {Percent(run.JudgeAccuracy)} on the test images) sees in 1,000 images")
    .AddColumns("Images", "Score (1 to 10)", "Classes with ≥ 2 %", "Mean confidence", "Largest class");
foreach (var s in run.Snapshots)
    table.AddRow($"generated, step {s.Step}", s.Judged.Score.ToString("F2", CultureInfo.InvariantCulture), $"{s.Judged.ClassesCovered}",
        Percent(s.Judged.MeanConfidence), Percent(s.Judged.ClassShares.Max()));
table.AddRow("[bold]real test images[/]", run.RealTest.Score.ToString("F2", CultureInfo.InvariantCulture), $"{run.RealTest.ClassesCovered}",
    Percent(run.RealTest.MeanConfidence), Percent(run.RealTest.ClassShares.Max()));
AnsiConsole.Write(table);
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Trained in {seconds:F1} s."));

string path = DcganPicture.Save(run, "dcgan.png");
AnsiConsole.MarkupLine($"Generated images at each snapshot drawn in [link]{Markup.Escape(path)}[/].");
return 0;
