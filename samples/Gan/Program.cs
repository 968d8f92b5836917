using System.Globalization;
using ModelC.Samples;
using ModelC.Samples.Gan;
using Spectre.Console;

// Usage: dotnet run --project samples/Gan [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

const int Steps = 3000;
var generator = new Generator(seed);
var discriminator = new Discriminator(seed + 1);
AnsiConsole.MarkupLine($"[bold]GAN[/] on a ring of {RingOfGaussians.Modes} Gaussians (radius {RingOfGaussians.Radius}, std {RingOfGaussians.Std}), seed {seed}: " +
    $"generator 4 → 32 → 32 → 2, discriminator 2 → 32 → 32 → 1, Adam lr 1e-3, β1 0.5, {Steps} alternating steps.");

var run = GanDemo.Run(generator, discriminator, Steps, seed);

var table = new Table().Title("Generated points (2,000 from fixed noise)").AddColumns("Step", "Within 3 std of a centre", "Modes covered");
foreach (var s in run.Snapshots)
    table.AddRow($"{s.Step}", (100 * s.NearFraction).ToString("F1", CultureInfo.InvariantCulture) + " %", $"{s.ModesCovered} of {RingOfGaussians.Modes}");
AnsiConsole.Write(table);

string path = GanPicture.Save(run, "gan.png");
AnsiConsole.MarkupLine($"Samples during training drawn in [link]{Markup.Escape(path)}[/].");
return 0;
