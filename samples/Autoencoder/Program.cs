using ModelC.Runtime.Training;
using ModelC.Samples;
using ModelC.Samples.Autoencoder;
using ModelC.Samples.Vae;
using Spectre.Console;

// Usage: dotnet run --project samples/Autoencoder [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

var training = LatentReport.Load("train", 4000);
var test = LatentReport.Load("t10k", 1000);
AnsiConsole.MarkupLine($"[bold]Autoencoder[/] with a 2-D bottleneck on {training.Count} Fashion-MNIST training images (seed {seed}): " +
    "784 → 256 → 2 → 256 → 784, loss bce_logits (sum), Adam.");
var run = VaeDemo.Run(new Autoencoder(seed), training, test, seed, latentOutput: "code", progress: new ConsoleProgressBar());
LatentReport.Print(run, test, "Autoencoder codes", "autoencoder.png");
return 0;
