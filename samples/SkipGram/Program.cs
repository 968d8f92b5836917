using System;
using System.Globalization;
using System.Linq;
using ModelC.Runtime;
using ModelC.Samples;
using ModelC.Samples.SkipGram;
using Spectre.Console;

// Usage: dotnet run --project samples/SkipGram [-- --seed N]
if (!SeedArgument.TryParse(args, defaultSeed: 1, out int seed))
    return 1;

const int MinimumCount = 5;
var tokens = Vocabulary.Tokenize(GenesisCorpus.Load(GenesisCorpus.DefaultPath));
var vocabulary = Vocabulary.Build(tokens, MinimumCount);
IModel model = new ModelC.Samples.SkipGram.SkipGram(seed);
int classes = model.Inputs.Single(i => i.Name == "center").Classes;
if (vocabulary.Count != classes)
{
    Console.Error.WriteLine($"{GenesisCorpus.DefaultPath} has {vocabulary.Count} words seen at least {MinimumCount} times; skipgram.model reads int<{classes}>.");
    return 1;
}
var text = vocabulary.Encode(tokens);

AnsiConsole.MarkupLine($"[bold]Skip-gram with negative sampling[/] on the King James Book of Genesis (seed {seed}): {tokens.Count:N0} words, " +
    $"{vocabulary.Count} of them seen at least {MinimumCount} times ({text.Length:N0} tokens kept); windows up to {SkipGramPairs.MaximumWindow} " +
    $"words on either side, {SkipGramDemo.NegativesPerPair(model)} negatives drawn from counts^0.75, 48-D vectors, Adam.");
var run = SkipGramDemo.Run(model, text, vocabulary.Counts, seed);

var progress = new Table().Title($"Loss per pair ({run.Pairs:N0} pairs an epoch, batch {run.BatchSize})").AddColumns("Epoch", "Loss");
progress.AddRow("before", F(run.InitialLoss));
foreach (var epoch in run.Epochs) progress.AddRow($"{epoch.Epoch}", F(epoch.Loss));
AnsiConsole.Write(progress);

var vectors = SkipGramDemo.Vectors(model);
var neighbours = new Table().Title("Nearest neighbours (cosine similarity of the word vectors)").AddColumns("Word", "Nearest five");
foreach (string word in new[] { "god", "lord", "son", "brother", "water", "land", "camels", "seven" })
{
    if (!vocabulary.TryGetId(word, out int id)) continue;
    neighbours.AddRow($"[bold]{word}[/]", string.Join(", ", vectors.Nearest(id, 5).Select(n => $"{vocabulary[n.Id]} {F(n.Cosine)}")));
}
AnsiConsole.Write(neighbours);
return 0;

static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
