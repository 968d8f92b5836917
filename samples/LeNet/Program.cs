using System;
using System.CommandLine;
using System.Globalization;
using ModelC.Runtime.Training;
using ModelC.Samples.FashionMlp;
using Samples.LeNet;
using Spectre.Console;

// Usage: dotnet run --project samples/LeNet [-- --full | --data DIR] [--epochs N] [--seed N] [--weights FILE]
var data = new Option<string?>("--data") { Description = "A folder holding the four Fashion-MNIST IDX .gz files." };
var full = new Option<bool>("--full") { Description = $"Use the full set from {FashionData.SystemDirectory}." };
var epochs = new Option<int?>("--epochs") { Description = "Override the model's epochs (15)." };
var seed = new Option<int>("--seed") { Description = "Seed for initialization and shuffling.", DefaultValueFactory = _ => 0 };
var weights = new Option<string>("--weights") { Description = "Where to save the trained weights (safetensors).", DefaultValueFactory = _ => "lenet.safetensors" };
var root = new RootCommand("Train LeNet-5 on Fashion-MNIST.") { data, full, epochs, seed, weights };
root.SetAction(parse => Train(parse.GetValue(data), parse.GetValue(full), parse.GetValue(epochs), parse.GetValue(seed), parse.GetValue(weights)!));
return root.Parse(args).Invoke();

static int Train(string? dataOption, bool full, int? epochs, int seed, string weightsPath)
{
    string directory = dataOption ?? (full ? FashionData.SystemDirectory : FashionData.ShippedDirectory);
    var (train, test) = FashionData.Load(directory);
    string source = dataOption is not null ? directory : full ? "the full set" : "the shipped subset";
    AnsiConsole.MarkupLine($"[bold]LeNet-5[/] on Fashion-MNIST, {Markup.Escape(source)}: {train.Count:N0} training and {test.Count:N0} test images.");

    var model = new LeNet(seed);
    AnsiConsole.Write(new Text(LeNet.Summary));

    FashionResult result = FashionRun.Run(model, train, test, new FashionSettings(seed, epochs, WeightsPath: weightsPath), new ConsoleProgressBar());
    AnsiConsole.MarkupLine($"Trained in {F(result.Elapsed.TotalSeconds, "F1")} s ({result.History.Epochs.Count} epochs).");
    AnsiConsole.MarkupLine($"[bold]Test accuracy: {Percent(result.Test.Accuracy ?? 0)}[/] (loss {F(result.Test.Loss, "F4")}); weights saved to {Markup.Escape(weightsPath)}.");
    var (curves, confusion) = FashionPictures.Save(result, "LeNet", "lenet");
    AnsiConsole.MarkupLine($"Training curves drawn in {Markup.Escape(curves)}, the confusion matrix in {Markup.Escape(confusion)}.");
    return 0;
}

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture) + " %";
