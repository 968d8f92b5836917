using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using ModelC.Distributed;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Kernels;
using ModelC.Runtime.Training;

namespace ModelC.Benchmarks;

/// <summary>
/// Data-parallel training time (--data-parallel), run alone or under <c>mpiexec -n N</c>: the
/// FashionMlp trained by the Trainer with one kernel thread per process, each global batch shared
/// by the processes, and the time spent in the gradient all-reduce; then the all-reduce alone at
/// several lengths, for the latency and bandwidth of the cost model. Best of several rounds, which
/// a busy machine disturbs less than a mean. Only rank 0 prints.
/// </summary>
public static class DataParallelTimer
{
    private const int Rounds = 7, StepsPerRound = 100;

    public static int Run()
    {
        using MpiGroup? group = MpiGroup.StartIfLaunched(kernelThreads: 1);
        KernelThreads.Parts = 1;
        int processes = group?.Size ?? 1;
        bool speaks = group is null || group.IsRoot;
        if (speaks)
            Console.WriteLine($"{processes} process(es), {KernelThreads.Parts} kernel thread each, best of {Rounds} rounds of {StepsPerRound} steps");
        foreach (int globalBatch in new[] { 64, 256 })
        {
            var (step, reduce, wait) = TimeTraining(group, globalBatch);
            if (speaks)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"FashionMlp batch {globalBatch} ({globalBatch / processes} per process): step {step * 1e3:F3} ms, {globalBatch / step:F0} samples/s; "
                    + $"all-reduce {reduce * 1e3:F3} ms ({100 * reduce / step:F1} % of the step), waiting for the slower rank {wait * 1e3:F3} ms ({100 * wait / step:F1} %)"));
            }
        }

        if (group is not null)
        {
            foreach (int length in new[] { 1, 1_000, 10_000, 109_386, 1_000_000 })
            {
                double seconds = TimeAllReduce(group, length);
                if (speaks)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"all-reduce of {length,9:N0} floats: {seconds * 1e6,9:F1} µs, {2.0 * (processes - 1) / processes * length * 4 / seconds / 1e9:F2} GB/s per rank (ring bytes)"));
                }
            }
        }

        return 0;
    }

    private static (double Step, double Reduce, double Wait) TimeTraining(MpiGroup? group, int globalBatch)
    {
        int processes = group?.Size ?? 1;
        var model = new FashionMlp(seed: 1);
        Dataset data = Pixels(globalBatch * StepsPerRound);
        var timed = group is null ? null : new TimedGroup(group);
        var options = new TrainerOptions { Epochs = 1, BatchSize = globalBatch / processes, Group = timed, Metric = "loss" };
        double bestStep = double.PositiveInfinity, reduceAtBest = 0, waitAtBest = 0;
        for (int round = 0; round < Rounds + 1; round++)
        {
            var trainer = new Trainer(model, options);
            timed?.Reset();
            var clock = Stopwatch.StartNew();
            trainer.Fit(data);
            double step = clock.Elapsed.TotalSeconds / StepsPerRound;
            // The slowest rank sets the pace; every rank must agree on which round was best.
            Span<float> pace = [(float)step, (float)((timed?.Seconds ?? 0) / StepsPerRound), (float)((timed?.WaitSeconds ?? 0) / StepsPerRound)];
            group?.SumAcrossRanks(pace);
            step = pace[0] / processes;
            if (round > 0 && step < bestStep)
                (bestStep, reduceAtBest, waitAtBest) = (step, pace[1] / processes, pace[2] / processes);
        }

        return (bestStep, reduceAtBest, waitAtBest);
    }

    private static double TimeAllReduce(MpiGroup group, int length)
    {
        var values = new float[length];
        int repeats = Math.Clamp(20_000_000 / Math.Max(length, 1), 20, 2_000);
        double best = double.PositiveInfinity;
        for (int round = 0; round < Rounds; round++)
        {
            group.Barrier();
            var clock = Stopwatch.StartNew();
            for (int r = 0; r < repeats; r++)
                group.SumAcrossRanks(values);
            Span<float> seconds = [(float)(clock.Elapsed.TotalSeconds / repeats)];
            group.SumAcrossRanks(seconds);
            best = Math.Min(best, seconds[0] / group.Size);
        }

        return best;
    }

    private static Dataset Pixels(int count)
    {
        var random = new Random(3);
        var x = new float[count * 784];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)random.NextDouble();
        int[] y = Enumerable.Range(0, count).Select(i => i % 10).ToArray();
        return new Dataset(DatasetColumn.OfFloats("x", x, 784), DatasetColumn.OfInts("y", y));
    }

    /// <summary>
    /// The group, with clocks on the gradient sums. A barrier before each sum separates waiting for
    /// the slowest rank (imbalance, a busy machine) from the all-reduce itself.
    /// </summary>
    private sealed class TimedGroup(MpiGroup inner) : ITrainingGroup
    {
        private long ticks, waitTicks;

        public int Rank => inner.Rank;

        public int Size => inner.Size;

        public double Seconds => (double)ticks / Stopwatch.Frequency;

        public double WaitSeconds => (double)waitTicks / Stopwatch.Frequency;

        public void Reset() => ticks = waitTicks = 0;

        public void Broadcast(Span<float> values) => inner.Broadcast(values);

        public void SumAcrossRanks(Span<float> values)
        {
            long arrived = Stopwatch.GetTimestamp();
            inner.Barrier();
            long start = Stopwatch.GetTimestamp();
            waitTicks += start - arrived;
            inner.SumAcrossRanks(values);
            ticks += Stopwatch.GetTimestamp() - start;
        }
    }
}
