using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using ModelC.Distributed;
using ModelC.Distributed.TestHost;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Training;

// The program the data-parallel tests launch, alone or under `mpiexec -n 2`:
//   sum LENGTHS OUT            each rank sums ModelRandom(1000 + rank) normals; writes OUT.rankR
//   train OUT [options]        trains Blobs; rank 0 writes the parameters and the epoch losses
//                              (--checkpoint and --log paths may hold {rank}, replaced by the rank)
//   fail throw|stall CALL ...  as train, but rank 1 throws or hangs at its CALL-th collective
//   search OUT Q BUDGET SEED   distributed Gaussian-process search of a cheap function
//   hypersearch OUT            the HyperSearch sample's distributed search, small; rank 0 writes OUT
string mode = args.Length > 0 ? args[0] : "";
var options = Options.Parse(args.Skip(1));
using MpiGroup? group = MpiGroup.StartIfLaunched(options.Timeout);
return group is null ? Run(mode, options, null) : group.Run(() => Run(mode, options, group));

static int Run(string mode, Options options, MpiGroup? group)
{
    switch (mode)
    {
        case "sum":
            foreach (int length in options.Positional[0].Split(',').Select(int.Parse))
            {
                float[] values = TestValues.For(length, group?.Rank ?? 0);
                group?.SumAcrossRanks(values);
                File.WriteAllBytes($"{options.Positional[1]}.{length}.rank{group?.Rank ?? 0}", MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
            }

            return 0;
        case "train":
            return Train(options, group);
        case "fail":
            ITrainingGroup failing = new FailingGroup(group!, options.Positional[0], int.Parse(options.Positional[1], CultureInfo.InvariantCulture));
            return Train(options with { Positional = options.Positional.Skip(2).ToArray() }, failing);
        case "search":
            return Search.Run(options, group);
        case "hypersearch":
            return MoonsSearch.Run(options, group!);
        default:
            Console.Error.WriteLine($"unknown mode '{mode}'");
            return 2;
    }
}

static int Train(Options options, ITrainingGroup? group)
{
    var model = new Blobs(seed: group is null || group.Rank == 0 ? 0 : 99);
    Dataset train = BlobsData.Generate(options.Examples, seed: 5);
    var trainer = new Trainer(model, new TrainerOptions
    {
        BatchSize = options.Batch,
        Epochs = options.Epochs,
        Seed = 3,
        // "{rank}" in a path becomes the rank, so a file written by any rank but 0 would show.
        CheckpointPath = PerRank(options.Checkpoint, group),
        LogPath = PerRank(options.Log, group),
        ResumeFrom = options.Resume,
        ValidationFraction = options.Patience is null ? null : 0.25f,
        Patience = options.Patience,
        Group = group,
    });
    TrainingHistory history = trainer.Fit(train);
    if (trainer.WritesFiles)
    {
        File.WriteAllBytes(options.Positional[0], MemoryMarshal.AsBytes(model.Parameters).ToArray());
        File.WriteAllLines(options.Positional[0] + ".epochs", history.Epochs.Select(e => e.TrainLoss.ToString("R", CultureInfo.InvariantCulture)));
    }

    Console.WriteLine($"rank {group?.Rank ?? 0}: {history.Epochs.Count} epochs, stopped early: {history.StoppedEarly}");
    return 0;
}

static string? PerRank(string? path, ITrainingGroup? group) =>
    path?.Replace("{rank}", (group?.Rank ?? 0).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

/// <summary>The host's options: positional words, then --name value pairs.</summary>
internal sealed record Options(string[] Positional, int Batch, int Epochs, int Examples, string? Checkpoint, string? Resume, string? Log, int? Patience, TimeSpan? Timeout)
{
    public static Options Parse(IEnumerable<string> words)
    {
        var positional = new List<string>();
        var named = new Dictionary<string, string>();
        string[] all = words.ToArray();
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].StartsWith("--", StringComparison.Ordinal))
            {
                named[all[i][2..]] = all[++i];
            }
            else
            {
                positional.Add(all[i]);
            }
        }

        int Int(string name, int fallback) => named.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(
            positional.ToArray(), Int("batch", 8), Int("epochs", 2), Int("examples", 200),
            named.GetValueOrDefault("checkpoint"), named.GetValueOrDefault("resume"), named.GetValueOrDefault("log"),
            named.ContainsKey("patience") ? Int("patience", 0) : null,
            named.ContainsKey("timeout") ? TimeSpan.FromSeconds(Int("timeout", 0)) : null);
    }
}

/// <summary>The numbers every rank contributes to the sum test: normals from ModelRandom(1000 + rank), scaled by the rank.</summary>
public static class TestValues
{
    public static float[] For(int length, int rank)
    {
        var random = new ModelRandom(1000 + rank);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.NextNormal() * (1 + (rank * 1000));
        }

        return values;
    }
}

/// <summary>A group whose rank 1 throws, or stops answering, at its n-th collective: the failures the job must survive.</summary>
internal sealed class FailingGroup(MpiGroup inner, string how, int failingCall) : ITrainingGroup
{
    private int calls;

    public int Rank => inner.Rank;

    public int Size => inner.Size;

    public void Broadcast(Span<float> values)
    {
        MaybeFail();
        inner.Broadcast(values);
    }

    public void SumAcrossRanks(Span<float> values)
    {
        MaybeFail();
        inner.SumAcrossRanks(values);
    }

    private void MaybeFail()
    {
        if (Rank != 1 || ++calls != failingCall)
        {
            return;
        }

        if (how == "throw")
        {
            throw new InvalidOperationException($"the test made rank 1 fail at its collective {failingCall}");
        }

        Thread.Sleep(Timeout.Infinite);
    }
}
