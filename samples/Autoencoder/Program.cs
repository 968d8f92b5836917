using System;
using System.Globalization;
using System.IO;
using ModelC.Runtime.Data;
using ModelC.Samples;
using ModelC.Samples.Autoencoder;
using ModelC.Samples.Vae;
using Spectre.Console;

// Usage: dotnet run --project samples/Autoencoder [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

const int TrainingImages = 4000, TestImages = 1000;
string data = Path.Combine(AppContext.BaseDirectory, "data");
var training = Load("train", TrainingImages);
var test = Load("t10k", TestImages);

AnsiConsole.MarkupLine($"[bold]Autoencoder[/] with a 2-D bottleneck on {training.Count} Fashion-MNIST training images (seed {seed}): " +
    "784 → 256 → 2 → 256 → 784, loss bce_logits (sum), Adam.");
var model = new Autoencoder(seed);
var run = VaeDemo.Run(model, training, test, seed, latentOutput: "code");

var progress = new Table().Title("Training").AddColumns("Epoch", "Loss per image");
foreach (var epoch in run.Epochs) progress.AddRow($"{epoch.Epoch}", epoch.TrainingLoss.ToString("F1", CultureInfo.InvariantCulture));
AnsiConsole.Write(progress);

AnsiConsole.Write(new Table().Title($"Classes kept apart in 2-D ({test.Count} test images, {VaeDemo.Neighbours}-nearest-neighbour vote)")
    .AddColumns("2-D map", "Accuracy")
    .AddRow("PCA, first two components", Percent(run.PcaKnnAccuracy))
    .AddRow("[bold]Autoencoder codes[/]", $"[bold]{Percent(run.LatentKnnAccuracy)}[/]"));

string path = Path.GetFullPath("autoencoder.svg");
File.WriteAllText(path, LatentPicture.Render(run.LatentTest, run.PcaTest, test.Labels,
    $"Autoencoder codes ({Percent(run.LatentKnnAccuracy)} 5-NN)", $"PCA ({Percent(run.PcaKnnAccuracy)} 5-NN)"));
AnsiConsole.MarkupLine($"Both maps written to [link]{path}[/].");
return 0;

ImageSet Load(string prefix, int count)
{
    var images = IdxFile.ReadImages(Path.Combine(data, $"{prefix}-images-idx3-ubyte.gz"));
    var labels = IdxFile.ReadLabels(Path.Combine(data, $"{prefix}-labels-idx1-ubyte.gz"));
    int n = Math.Min(count, images.Count);
    return new ImageSet(images.Pixels.AsSpan(0, n * ImageSet.Size).ToArray(), labels.AsSpan(0, n).ToArray());
}

static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture) + " %";
