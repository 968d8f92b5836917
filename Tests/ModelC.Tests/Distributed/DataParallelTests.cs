using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ModelC.Distributed.TestHost;
using ModelC.Runtime.Classical;
using ModelC.Samples.HyperSearch;
using ModelC.Tests.Cli;
using ModelC.Tests.Samples;
using Xunit;

namespace ModelC.Tests.Distributed;

/// <summary>
/// Data-parallel training over MPI: each test starts the test host under <c>mpiexec -n 2</c> on
/// this machine (and alone for the references), every run bounded in time.
/// </summary>
public sealed class DataParallelTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly string folder = Directory.CreateTempSubdirectory("modelc-mpi-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_sum_across_two_ranks_is_the_serial_sum_on_both()
    {
        // Lengths below, at and far above the rank count, so that chunks are empty, single and uneven.
        int[] lengths = [1, 2, 7, 1_000_003];
        string prefix = Path.Combine(folder, "sum");
        JobResult job = MpiJob.Run(2, Limit, "sum", string.Join(',', lengths), prefix);
        Assert.True(job.ExitCode == 0, job.ToString());
        foreach (int length in lengths)
        {
            float[] first = TestValues.For(length, rank: 0), second = TestValues.For(length, rank: 1);
            float[] serial = first.Zip(second, (a, b) => a + b).ToArray();
            for (int rank = 0; rank < 2; rank++)
            {
                float[] summed = ReadFloats($"{prefix}.{length}.rank{rank}");
                Assert.Equal(serial, summed);
            }
        }
    }

    [Fact]
    public void Two_ranks_at_batch_8_match_one_process_at_batch_16_after_50_steps()
    {
        // 397 examples in batches of 16: 25 steps an epoch, the last one 13 examples split 6 + 7.
        string[] common = ["--examples", "397", "--epochs", "2"];
        string alone = Path.Combine(folder, "alone"), together = Path.Combine(folder, "together");
        JobResult single = MpiJob.Run(0, Limit, ["train", alone, "--batch", "16", .. common]);
        Assert.True(single.ExitCode == 0, single.ToString());
        JobResult parallel = MpiJob.Run(2, Limit, ["train", together, "--batch", "8", .. common]);
        Assert.True(parallel.ExitCode == 0, parallel.ToString());

        float[] expected = ReadFloats(alone), actual = ReadFloats(together);
        double difference = Math.Sqrt(expected.Zip(actual, (a, b) => (double)(a - b) * (a - b)).Sum());
        double norm = Math.Sqrt(expected.Sum(a => (double)a * a));
        Assert.True(difference <= 1e-5 * norm, $"relative difference {difference / norm:E2} after 50 steps");
        // Rank 1 built its replica from another seed: only rank 0's broadcast weights can give this.
        Assert.True(expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) <= 1e-4f * Math.Max(1, Math.Abs(p.First))));
    }

    [Fact]
    public void Runs_with_the_same_rank_count_are_bit_identical()
    {
        string first = Path.Combine(folder, "first"), second = Path.Combine(folder, "second");
        Assert.Equal(0, MpiJob.Run(2, Limit, "train", first, "--examples", "397").ExitCode);
        Assert.Equal(0, MpiJob.Run(2, Limit, "train", second, "--examples", "397").ExitCode);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void A_resumed_data_parallel_run_ends_where_an_uninterrupted_one_does()
    {
        string straight = Path.Combine(folder, "straight"), resumed = Path.Combine(folder, "resumed");
        string checkpoint = Path.Combine(folder, "run.ckpt");
        Assert.Equal(0, MpiJob.Run(2, Limit, "train", straight, "--epochs", "4").ExitCode);
        Assert.Equal(0, MpiJob.Run(2, Limit, "train", Path.Combine(folder, "half"), "--epochs", "2", "--checkpoint", checkpoint).ExitCode);
        JobResult job = MpiJob.Run(2, Limit, "train", resumed, "--epochs", "4", "--resume", checkpoint);
        Assert.True(job.ExitCode == 0, job.ToString());
        Assert.Equal(File.ReadAllBytes(straight), File.ReadAllBytes(resumed));
        // Only rank 0 writes: the checkpoint is one file, not one per rank.
        Assert.Single(Directory.GetFiles(folder, "run.ckpt*"));
    }

    [Fact]
    public void Only_rank_0_writes_the_log_the_checkpoint_and_the_best_weights()
    {
        // The host puts each rank's number into these paths, so a file from rank 1 would have a name of its own.
        JobResult job = MpiJob.Run(
            2, Limit, "train", Path.Combine(folder, "quiet"), "--epochs", "3", "--patience", "5",
            "--checkpoint", Path.Combine(folder, "run.{rank}.ckpt"), "--log", Path.Combine(folder, "log.{rank}.csv"));
        Assert.True(job.ExitCode == 0, job.ToString());
        Assert.True(File.Exists(Path.Combine(folder, "run.0.ckpt")));
        Assert.True(File.Exists(Path.Combine(folder, "run.0.ckpt.best.safetensors")));
        Assert.Equal(1 + 3, File.ReadAllLines(Path.Combine(folder, "log.0.csv")).Length);
        Assert.Empty(Directory.GetFiles(folder, "*.1.*"));
    }

    [Fact]
    public void Modelc_train_under_mpiexec_trains_data_parallel_and_rank_0_alone_prints_and_saves()
    {
        string model = Path.Combine(folder, "blobs.model"), train = Path.Combine(folder, "train.csv"), test = Path.Combine(folder, "test.csv");
        File.WriteAllText(model, TrainCommandTests.Classifier);
        File.WriteAllText(train, TrainCommandTests.BlobsCsv(400, 1));
        File.WriteAllText(test, TrainCommandTests.BlobsCsv(200, 2));
        string weights = Path.Combine(folder, "blobs.safetensors");

        JobResult job = MpiJob.RunProgram(
            MpiJob.ModelcPath, 2, Limit, "train", model, "--data", train, "--test", test, "--target", "label", "--features", "a,b", "--weights", weights);

        Assert.True(job.ExitCode == 0, job.ToString());
        Assert.Contains("data-parallel over 2 processes: 8 examples each of every batch of 16", job.Output);
        Assert.Single(Regex.Matches(job.Output, "epoch 8/8: loss"));
        // Bayes-optimal accuracy is Φ(2) = 97.7 %.
        var accuracy = Regex.Match(job.Output, @"test: loss [0-9.]+, accuracy ([0-9.]+) %");
        Assert.True(accuracy.Success, job.ToString());
        Assert.InRange(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture), 94.0, 100.0);
        Assert.True(File.Exists(weights), job.ToString());
    }

    [Fact]
    public void Early_stopping_stops_every_rank_after_the_same_epoch()
    {
        JobResult job = MpiJob.Run(2, Limit, "train", Path.Combine(folder, "early"), "--epochs", "40", "--patience", "2");
        Assert.True(job.ExitCode == 0, job.ToString());
        string[] lines = job.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("rank", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Contains("stopped early: True", lines[0]);
        Assert.Equal(lines[0]["rank 0".Length..], lines[1]["rank 1".Length..]);
    }

    [Fact]
    public void A_rank_that_throws_ends_both_with_its_error()
    {
        JobResult job = MpiJob.Run(2, Limit, "fail", "throw", "5", Path.Combine(folder, "unused"), "--timeout", "30");
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("rank 1 of 2 failed: InvalidOperationException: the test made rank 1 fail at its collective 5. Ending all 2 processes.", job.Error);
        Assert.True(job.Elapsed < TimeSpan.FromSeconds(30), job.ToString());
    }

    [Fact]
    public void A_rank_that_stalls_ends_both_within_the_timeout()
    {
        JobResult job = MpiJob.Run(2, Limit, "fail", "stall", "5", Path.Combine(folder, "unused"), "--timeout", "3");
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("rank 0 of 2 waited more than 3 s in the sum across ranks (all-reduce) for the other processes; one of them has failed or stalled. Ending all 2 processes.", job.Error);
        Assert.True(job.Elapsed < TimeSpan.FromSeconds(30), job.ToString());
    }

    [Fact]
    public void The_distributed_search_scores_each_round_on_both_ranks_and_equals_the_serial_batch_search()
    {
        string output = Path.Combine(folder, "search");
        JobResult job = MpiJob.Run(2, Limit, "search", output);
        Assert.True(job.ExitCode == 0, job.ToString());

        SearchResult serial = BayesianOptimizer.MinimizeBatch(
            SearchProblem.Space, batch => batch.Select(SearchProblem.Objective).ToArray(), SearchProblem.Budget, SearchProblem.BatchSize,
            SearchProblem.Seed, SearchProblem.InitialPoints);
        Assert.Equal(SearchProblem.Describe(serial), File.ReadAllLines(output));
        // Candidate i of each round of two is scored on rank i: half the evaluations each.
        Assert.Equal(SearchProblem.Budget / 2, File.ReadAllLines(output + ".scored.rank0").Length);
        Assert.Equal(SearchProblem.Budget / 2, File.ReadAllLines(output + ".scored.rank1").Length);
    }

    [Fact]
    public void The_HyperSearch_sample_searches_across_both_ranks_as_the_serial_batch_search_does()
    {
        string output = Path.Combine(folder, "hypersearch");
        JobResult job = MpiJob.Run(2, Limit, "hypersearch", output);
        Assert.True(job.ExitCode == 0, job.ToString());

        // The same search in this process: rounds of two candidates, scored one after the other.
        var validation = new CrossValidation(
            MoonsData.Generate(MoonsSearch.Examples, noise: 0.2, MoonsSearch.Seed), MoonsSearch.Folds, MoonsSearch.Seed, MoonsSearch.Epochs,
            (width, seed) => SampleModels.Create("HyperSearch/moons.model", seed, $"Moons{width}"));
        var serial = HyperSearchRun.RunBatch(validation, MoonsSearch.Budget, MoonsSearch.InitialPoints, MoonsSearch.Seed, batchSize: 2);
        Assert.Equal(serial.Select(Describe), File.ReadAllLines(output));
        Assert.Equal(MoonsSearch.Budget - MoonsSearch.InitialPoints, serial.Count(c => c.Source == EvaluationSource.ExpectedImprovement));
    }

    private static string Describe(ScoredConfiguration c) => string.Join(
        ' ', c.Index, c.Source, c.Width, c.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        c.Score.Loss.ToString("R", CultureInfo.InvariantCulture), c.Score.Accuracy.ToString("R", CultureInfo.InvariantCulture));

    private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
}
