using System;
using System.CommandLine;
using System.Globalization;
using ModelC.Runtime.Training;
using ModelC.Samples.FashionMlp;
using Samples.ResNet;
using Spectre.Console;

// Usage: dotnet run --project samples/ResNet [-- --full | --data DIR] [--epochs N] [--seed N] [--weights FILE] [--log FILE]
var data = new Option<string?>("--data") { Description = "A folder holding the four Fashion-MNIST IDX .gz files." };
var full = new Option<bool>("--full") { Description = $"Use the full set from {FashionData.SystemDirectory} (Debian's dataset-fashion-mnist)." };
var epochs = new Option<int?>("--epochs") { Description = "Override the model's epochs (10)." };
var seed = new Option<int>("--seed") { Description = "Seed for initialization, shuffling and dropout.", DefaultValueFactory = _ => 0 };
var weights = new Option<string>("--weights") { Description = "Where to save the trained weights and batchnorm statistics (safetensors).", DefaultValueFactory = _ => "resnet.safetensors" };
var log = new Option<string?>("--log") { Description = "Write the per-epoch training log to this CSV file." };
var root = new RootCommand("Train a small residual network on Fashion-MNIST.") { data, full, epochs, seed, weights, log };
root.SetAction(parse => Train(parse.GetValue(data), parse.GetValue(full), parse.GetValue(epochs), parse.GetValue(seed), parse.GetValue(weights)!, parse.GetValue(log)));
return root.Parse(args).Invoke();

static int Train(string? dataOption, bool full, int? epochs, int seed, string weightsPath, string? logPath)
{
    if (full && dataOption is not null)
    {
        AnsiConsole.MarkupLine("[red]Give either --full or --data, not both.[/]");
        return 2;
    }

    string directory = dataOption ?? (full ? FashionData.SystemDirectory : FashionData.ShippedDirectory);
    var (train, test) = FashionData.Load(directory);
    string source = dataOption is not null ? directory : full ? "the full set" : "the shipped subset";
    AnsiConsole.MarkupLine($"[bold]ResNet[/] on Fashion-MNIST, {Markup.Escape(source)}: {train.Count:N0} training and {test.Count:N0} test images.");

    var model = new ResNet(seed);
    AnsiConsole.Write(new Text(ResNet.Summary));
    AnsiConsole.MarkupLine("AdamW lr 2e-3 (weight decay 1e-4), cosine schedule with 1 warm-up epoch, batch 64, dropout 0.2 before the classifier, "
        + "early stopping (patience 3) on the loss of a held-out 10 %.");

    FashionResult result = FashionRun.Run(model, train, test, new FashionSettings(seed, epochs, WeightsPath: weightsPath, LogPath: logPath), new ConsoleProgressBar());

    TrainingHistory history = result.History;
    double samplesPerSecond = (double)result.TrainExamples * history.Epochs.Count / result.Elapsed.TotalSeconds;
    string stop = history.StoppedEarly ? $"stopped early after epoch {history.Epochs[^1].Epoch}, " : "";
    AnsiConsole.MarkupLine($"Trained in {F(result.Elapsed.TotalSeconds, "F1")} s ({history.Epochs.Count} epochs, {stop}best validation loss at epoch {history.BestEpoch}; "
        + $"{samplesPerSecond:N0} training images/s with validation included).");
    AnsiConsole.MarkupLine($"[bold]Test accuracy: {Percent(result.Test.Accuracy ?? 0)}[/] on {test.Count:N0} images (loss {F(result.Test.Loss, "F4")}); weights saved to {Markup.Escape(weightsPath)}.");
    var (curves, confusion) = FashionPictures.Save(result, "ResNet", "resnet");
    AnsiConsole.MarkupLine($"Training curves drawn in {Markup.Escape(curves)}, the confusion matrix in {Markup.Escape(confusion)}.");
    return 0;
}

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture) + " %";
