using System.Globalization;
using System.IO;
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

var path = Path.GetFullPath("gan.svg");
File.WriteAllText(path, GanPicture.Render(run));
AnsiConsole.MarkupLine($"Samples during training written to [link]{path}[/].");
return 0;
