using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using ModelC.Runtime.Training;
using ModelC.Samples;
using ModelC.Samples.CharRnn;
using Spectre.Console;

// Usage: dotnet run --project samples/CharRnn [-- --seed N --temperature X --epochs N --prompt TEXT]
if (!CharRnnOptions.TryParse(args, out var options, out string error))
{
    Console.Error.WriteLine(error);
    return 1;
}

string text = GenesisCorpus.Load(GenesisCorpus.DefaultPath);
var alphabet = Alphabet.Of(text);
ModelC.Runtime.IModel model = new ModelC.Samples.CharRnn.CharRnn(options.Seed);
int vocabulary = model.Inputs.Single(i => i.Name == "text").Classes;
if (alphabet.Count != vocabulary)
{
    Console.Error.WriteLine($"{GenesisCorpus.DefaultPath} has {alphabet.Count} distinct characters; charrnn.model reads int<{vocabulary}>.");
    return 1;
}
if (!options.Prompt.All(alphabet.Contains))
{
    Console.Error.WriteLine($"The prompt '{options.Prompt}' has a character that is not in the text's alphabet.");
    return 1;
}

AnsiConsole.MarkupLine($"[bold]Character LSTM[/] on the King James Book of Genesis ({text.Length:N0} characters, {alphabet.Count} distinct; seed {options.Seed}): " +
    $"windows of {CharRnnDemo.WindowLength(model)} characters, embedding(60, 32) → lstm(128) → dense(60) at every step, cross_entropy over time, Adam.");
var clock = Stopwatch.StartNew();
var run = CharRnnDemo.Run(model, alphabet.Encode(text), options.Seed, options.Epochs, new ConsoleProgressBar());
clock.Stop();

AnsiConsole.MarkupLine($"{run.TrainingCharacters:N0} characters to train on, the last {run.ValidationCharacters:N0} (10 %) held out; batch {run.BatchSize}; " +
    $"{clock.Elapsed.TotalSeconds:F0} s of training.");
var progress = new Table().Title("Bits per character").AddColumns("Epoch", "Training", "Validation");
progress.AddRow("unigram", F(run.UnigramBitsPerCharacter), "[grey](character frequencies alone)[/]");
foreach (var epoch in run.Epochs) progress.AddRow($"{epoch.Epoch}", F(epoch.TrainingBitsPerCharacter), $"[bold]{F(epoch.ValidationBitsPerCharacter)}[/]");
AnsiConsole.Write(progress);

// Generation runs on CharRnnStep, the same network one character at a time, carrying the LSTM's state.
ModelC.Runtime.IModel step = new ModelC.Samples.CharRnn.CharRnnStep(options.Seed);
if (!step.ParameterInfos.Select(p => (p.Name, p.Offset, p.Length)).SequenceEqual(model.ParameterInfos.Select(p => (p.Name, p.Offset, p.Length))))
{
    Console.Error.WriteLine("CharRnnStep's parameters are not laid out as CharRnn's.");
    return 1;
}
model.Parameters.CopyTo(step.Parameters);
const int SampleLength = 400;
clock.Restart();
string sample = TextSampler.GenerateStepwise(step, alphabet, options.Prompt, SampleLength, options.Temperature, options.Seed);
double stepwiseSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
TextSampler.Generate(model, alphabet, options.Prompt, SampleLength, options.Temperature, options.Seed);
double windowedSeconds = clock.Elapsed.TotalSeconds;
AnsiConsole.Write(new Panel(Markup.Escape(sample)).Header($"Sampled at temperature {options.Temperature.ToString(CultureInfo.InvariantCulture)}"));
AnsiConsole.MarkupLine($"{SampleLength} characters one step each: {SampleLength / stepwiseSeconds:N0} characters/s " +
    $"(re-reading the {CharRnnDemo.WindowLength(model)}-character window for each: {SampleLength / windowedSeconds:N0} characters/s).");
return 0;

static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
