using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using ModelC.Runtime.Training;
using ModelC.Samples;
using ModelC.Samples.CharRnn;
using Spectre.Console;

// Usage: dotnet run -c Release --project samples/CharGpt [-- --seed N --temperature X --epochs N --prompt TEXT]
// The data, the split, the training loop and the sampler are CharRnn's (linked from samples/CharRnn):
// only the model differs, so the two samples' bits per character compare directly.
if (!CharRnnOptions.TryParse(args, out var options, out string error))
{
    Console.Error.WriteLine(error);
    return 1;
}

string text = GenesisCorpus.Load(GenesisCorpus.DefaultPath);
var alphabet = Alphabet.Of(text);
ModelC.Runtime.IModel model = new ModelC.Samples.CharGpt.CharGpt(options.Seed);
int vocabulary = model.Inputs.Single(i => i.Name == "text").Classes;
if (alphabet.Count != vocabulary)
{
    Console.Error.WriteLine($"{GenesisCorpus.DefaultPath} has {alphabet.Count} distinct characters; chargpt.model reads int<{vocabulary}>.");
    return 1;
}
if (!options.Prompt.All(alphabet.Contains))
{
    Console.Error.WriteLine($"The prompt '{options.Prompt}' has a character that is not in the text's alphabet.");
    return 1;
}

AnsiConsole.MarkupLine($"[bold]Character transformer[/] on the King James Book of Genesis ({text.Length:N0} characters, {alphabet.Count} distinct; seed {options.Seed}): " +
    $"windows of {CharRnnDemo.WindowLength(model)} characters, embedding(60, 64) + a learned position embedding → 2 pre-LN transformer blocks " +
    $"(multihead_attention(4, causal: true), dense 256 with gelu) → layernorm → dense(60) at every position, cross_entropy over positions, Adam; " +
    $"{model.ParameterCount:N0} parameters.");
var clock = Stopwatch.StartNew();
var run = CharRnnDemo.Run(model, alphabet.Encode(text), options.Seed, options.Epochs, new ConsoleProgressBar());
clock.Stop();

AnsiConsole.MarkupLine($"{run.TrainingCharacters:N0} characters to train on, the last {run.ValidationCharacters:N0} (10 %) held out; batch {run.BatchSize}; " +
    $"{clock.Elapsed.TotalSeconds:F0} s of training.");
var progress = new Table().Title("Bits per character").AddColumns("Epoch", "Training", "Validation");
progress.AddRow("unigram", F(run.UnigramBitsPerCharacter), "[grey](character frequencies alone)[/]");
foreach (var epoch in run.Epochs) progress.AddRow($"{epoch.Epoch}", F(epoch.TrainingBitsPerCharacter), $"[bold]{F(epoch.ValidationBitsPerCharacter)}[/]");
AnsiConsole.Write(progress);

string sample = TextSampler.Generate(model, alphabet, options.Prompt, length: 400, options.Temperature, options.Seed);
AnsiConsole.Write(new Panel(Markup.Escape(sample)).Header($"Sampled at temperature {options.Temperature.ToString(CultureInfo.InvariantCulture)}"));
return 0;

static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
