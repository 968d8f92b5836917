using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using ModelC.Distributed;
using ModelC.Runtime.Training;
using ModelC.Samples.FashionMlp;
using Samples.Fashion;
using Spectre.Console;

// Usage: dotnet run --project samples/FashionMlp [-- --full | --data DIR] [--epochs N] [--seed N] [--weights FILE] [--log FILE]
// Data-parallel: mpiexec -n 2 dotnet run --project samples/FashionMlp -- --full
var data = new Option<string?>("--data") { Description = "A folder holding the four Fashion-MNIST IDX .gz files." };
var full = new Option<bool>("--full") { Description = $"Use the full set from {FashionData.SystemDirectory} (Debian's dataset-fashion-mnist)." };
var epochs = new Option<int?>("--epochs") { Description = "Override the model's epochs (10)." };
var seed = new Option<int>("--seed") { Description = "Seed for initialization, shuffling and dropout.", DefaultValueFactory = _ => 0 };
var weights = new Option<string>("--weights") { Description = "Where to save the trained weights (safetensors).", DefaultValueFactory = _ => "fashion-mlp.safetensors" };
var log = new Option<string?>("--log") { Description = "Write the per-epoch training log to this CSV file." };
var root = new RootCommand("Train the FashionMlp on Fashion-MNIST: ModelC's main job.") { data, full, epochs, seed, weights, log };
using MpiGroup? group = MpiGroup.StartIfLaunched();
root.SetAction(parse =>
{
    int Run() => Train(parse.GetValue(data), parse.GetValue(full), parse.GetValue(epochs), parse.GetValue(seed), parse.GetValue(weights)!, parse.GetValue(log), group);
    return group is null ? Run() : group.Run(Run);
});
return root.Parse(args).Invoke();

static int Train(string? dataOption, bool full, int? epochs, int seed, string weightsPath, string? logPath, MpiGroup? group)
{
    if (group is { IsRoot: false })
    {
        // The other ranks train their replicas quietly; rank 0 prints and saves.
        string folder = dataOption ?? (full ? FashionData.SystemDirectory : FashionData.ShippedDirectory);
        var (trainShard, testShard) = FashionData.Load(folder);
        FashionRun.Run(new FashionMlp(seed), trainShard, testShard, new FashionSettings(seed, epochs, Group: group));
        return 0;
    }

    if (full && dataOption is not null)
    {
        AnsiConsole.MarkupLine("[red]Give either --full or --data, not both.[/]");
        return 2;
    }

    string directory = dataOption ?? (full ? FashionData.SystemDirectory : FashionData.ShippedDirectory);
    var (train, test) = FashionData.Load(directory);
    string source = dataOption is not null ? directory : full ? "the full set" : "the shipped subset";
    AnsiConsole.MarkupLine($"[bold]FashionMlp[/] on Fashion-MNIST, {Markup.Escape(source)}: {train.Count:N0} training and {test.Count:N0} test images.");
    if (!full && dataOption is null && FashionData.IsComplete(FashionData.SystemDirectory))
    {
        AnsiConsole.MarkupLine($"[grey]The full set is installed at {FashionData.SystemDirectory}; add --full to train on all 60,000 images.[/]");
    }

    if (group is { Size: > 1 })
    {
        AnsiConsole.MarkupLine($"[bold]data-parallel over {group.Size} processes[/]: each takes {(64 + group.Size - 1) / group.Size} images of every batch of 64, "
            + $"gradients summed by a ring all-reduce; {KernelThreadsText()}.");
    }

    var model = new FashionMlp(seed);
    AnsiConsole.MarkupLine($"784 → 128 → 64 → 10 with ReLU and dropout 0.2: {FashionMlp.ParameterCount:N0} parameters. "
        + "Adam lr 0.001, cosine schedule with 1 warm-up epoch, batch 64, clip_norm 5, early stopping (patience 3) on a held-out 10 %.");
    // Which SIMD path and how many threads the kernels use; a NativeAOT binary built for an older instruction set says so here.
    AnsiConsole.MarkupLine(Markup.Escape(ModelC.Runtime.Kernels.KernelInfo.Describe()));

    FashionResult result = FashionRun.Run(model, train, test, new FashionSettings(seed, epochs, WeightsPath: weightsPath, LogPath: logPath, Group: group), new ConsoleProgressBar());
    TrainingHistory history = result.History;
    string stop = history.StoppedEarly ? $"stopped early after epoch {history.Epochs[^1].Epoch}" : history.Epochs.Count == 1 ? "1 epoch" : $"{history.Epochs.Count} epochs";
    AnsiConsole.MarkupLine($"Trained in {F(result.Elapsed.TotalSeconds, "F1")} s ({stop}; best validation loss at epoch {history.BestEpoch}).");

    ConfusionMatrix confusion = result.Test.Confusion!;
    var classes = new Table().Title("Test set, per class").AddColumns("Class", "Precision", "Recall", "Images");
    for (int c = 0; c < confusion.Classes; c++)
    {
        long images = 0;
        for (int p = 0; p < confusion.Classes; p++)
        {
            images += confusion[c, p];
        }

        classes.AddRow(FashionData.ClassNames[c], Percent(confusion.Precision(c)), Percent(confusion.Recall(c)), $"{images:N0}");
    }

    AnsiConsole.Write(classes);
    AnsiConsole.MarkupLine($"[bold]Test accuracy: {Percent(confusion.Accuracy)}[/] on {confusion.Total:N0} images (loss {F(result.Test.Loss, "F4")}).");
    AnsiConsole.MarkupLine($"Weights saved to {Markup.Escape(Path.GetFullPath(weightsPath))} (safetensors).");
    var (curves, confusionPicture) = FashionPictures.Save(result, "FashionMlp", "fashion");
    AnsiConsole.MarkupLine($"Training curves drawn in {Markup.Escape(curves)}, the confusion matrix in {Markup.Escape(confusionPicture)}.");
    return 0;
}

static string KernelThreadsText() => ModelC.Runtime.Kernels.KernelThreads.Parts == 1
    ? "1 kernel thread per process"
    : $"{ModelC.Runtime.Kernels.KernelThreads.Parts} kernel threads per process";

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

static string Percent(double value) => double.IsNaN(value) ? "–" : (100 * value).ToString("F1", CultureInfo.InvariantCulture) + " %";
