using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelC.Samples.HyperSearch;

namespace ModelC.Distributed.TestHost;

/// <summary>
/// The HyperSearch sample's distributed search, made small enough for a test: every rank runs
/// <see cref="HyperSearchRun.RunDistributed"/>; rank 0 writes the scored configurations.
/// </summary>
public static class MoonsSearch
{
    public const int Examples = 90, Folds = 3, Epochs = 4, Budget = 6, InitialPoints = 2, Seed = 1;

    internal static CrossValidation Validation() =>
        new(MoonsData.Generate(Examples, noise: 0.2, Seed), Folds, Seed, Epochs, MoonsModels.Create);

    internal static int Run(Options options, MpiGroup group)
    {
        string output = options.Positional[0];
        IReadOnlyList<ScoredConfiguration>? scored = HyperSearchRun.RunDistributed(Validation(), Budget, InitialPoints, Seed, group);
        if (scored is not null)
        {
            File.WriteAllLines(output, scored.Select(Describe));
        }

        return 0;
    }

    /// <summary>One line per configuration, every number round-trippable, to compare two searches exactly.</summary>
    internal static string Describe(ScoredConfiguration c) => string.Join(
        ' ', c.Index, c.Source, c.Width, c.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        c.Score.Loss.ToString("R", CultureInfo.InvariantCulture), c.Score.Accuracy.ToString("R", CultureInfo.InvariantCulture));
}
