using ModelC.Runtime.Training;
using ModelC.Samples;
using ModelC.Samples.Vae;
using Spectre.Console;

// Usage: dotnet run --project samples/Vae [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

var training = LatentReport.Load("train", 4000);
var test = LatentReport.Load("t10k", 1000);
AnsiConsole.MarkupLine($"[bold]Variational autoencoder[/] with a 2-D latent space on {training.Count} Fashion-MNIST training images (seed {seed}): " +
    "784 → 256 → (mu, logvar) in 2-D → sample_normal → 256 → 784, loss bce_logits (sum) + kl_normal, Adam.");
var run = VaeDemo.Run(new Vae(seed), training, test, seed, progress: new ConsoleProgressBar());
LatentReport.Print(run, test, "VAE latent means", "vae.png");
return 0;
