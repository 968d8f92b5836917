using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ModelC.Runtime.Data;
using ModelC.Runtime.Optimizers;
using ModelC.Runtime.Schedules;
using ModelC.Runtime.Specs;
using ModelC.Runtime.Weights;

namespace ModelC.Runtime.Training;

/// <summary>
/// Trains a generated model the way a Keras <c>fit</c> or a hand-written PyTorch loop does:
/// epochs of shuffled batches, forward and backward, clipping, a scheduled optimizer step;
/// validation after every epoch; early stopping that restores the best weights; progress
/// reports, a CSV log and atomic checkpoints that resume bit-identically.
/// Given a <see cref="TrainerOptions.Group"/>, it is one replica of a data-parallel job: see
/// <see cref="ITrainingGroup"/>.
/// </summary>
public sealed class Trainer
{
    private const int DefaultEpochs = 10;
    private const int DefaultBatchSize = 32;
    private const string BestEpochKey = "trainer.best_epoch";
    private const string BestScoreKey = "trainer.best_score";
    private const string EpochsWithoutImprovementKey = "trainer.epochs_without_improvement";
    private const string StoppedEarlyKey = "trainer.stopped_early";
    private const string ScheduleKeyPrefix = "trainer.schedule.";

    private readonly IModel model;
    private readonly ITrainingGroup? group;

    public Trainer(IModel model, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.HasLoss)
        {
            throw new ArgumentException($"The model '{model.Name}' declares no loss, so there is nothing to train.", nameof(model));
        }

        this.model = model;
        options ??= new TrainerOptions();
        TrainingDefaults defaults = model.TrainingDefaults;
        Epochs = Positive(options.Epochs ?? defaults.Epochs ?? DefaultEpochs, nameof(options.Epochs));
        BatchSize = Positive(options.BatchSize ?? defaults.Batch ?? DefaultBatchSize, nameof(options.BatchSize));
        // The model holds the optimizer so that its TrainStep and checkpoints use the same one.
        if (options.Optimizer is not null)
        {
            model.Optimizer = options.Optimizer;
        }

        Optimizer = model.Optimizer;
        LearningRate = options.LearningRate ?? Optimizer.LearningRate;
        Schedule = options.Schedule ?? defaults.Schedule;
        ClipNorm = options.ClipNorm ?? defaults.ClipNorm;
        ClipValue = options.ClipValue ?? defaults.ClipValue;
        MaxNorm = options.MaxNorm ?? defaults.MaxNorm;
        Patience = options.Patience ?? defaults.EarlyStoppingPatience;
        if (Patience is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Patience, "The early-stopping patience must be at least 1 epoch.");
        }

        Metric = options.Metric ?? defaults.EarlyStoppingMetric ?? TrainingSpecs.EarlyStoppingMetrics[0];
        if (!TrainingSpecs.EarlyStoppingMetrics.Contains(Metric))
        {
            throw new ArgumentException($"Unknown metric '{Metric}'; use {string.Join(", ", TrainingSpecs.EarlyStoppingMetrics)}.", nameof(options));
        }

        Seed = options.Seed ?? defaults.Seed ?? 0;
        ValidationFraction = options.ValidationFraction ?? defaults.Validation;
        if (ValidationFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), ValidationFraction, "The validation fraction must be in (0, 1).");
        }

        Options = options;
        group = options.Group is { Size: > 1 } ? options.Group : null;
        Evaluator = new Evaluator(model, Math.Max(BatchSize, 256), options.PredictionOutput);
    }

    /// <summary>The model being trained.</summary>
    public IModel Model => model;

    /// <summary>The options as given; the properties below are them resolved against the model's train block.</summary>
    public TrainerOptions Options { get; }

    public int Epochs { get; }

    public int BatchSize { get; }

    public IOptimizer Optimizer { get; }

    /// <summary>The base learning rate the schedule scales.</summary>
    public float LearningRate { get; }

    public ScheduleSpec? Schedule { get; }

    public float? ClipNorm { get; }

    public float? ClipValue { get; }

    public float? MaxNorm { get; }

    /// <summary>Epochs without improvement before stopping; null: never stop early.</summary>
    public int? Patience { get; }

    /// <summary>The metric that decides the best epoch: val_loss, val_accuracy or loss.</summary>
    public string Metric { get; }

    public int Seed { get; }

    public float? ValidationFraction { get; }

    /// <summary>Whether this process writes the log and checkpoints and reports progress: alone, or as rank 0.</summary>
    public bool WritesFiles => group is null || group.Rank == 0;

    /// <summary>Scores the model in inference mode; also used for the validation data.</summary>
    public Evaluator Evaluator { get; }

    /// <summary>Scores the model on <paramref name="data"/> in inference mode.</summary>
    public Evaluation Evaluate(Dataset data) => Evaluator.Evaluate(data);

    /// <summary>
    /// Trains on <paramref name="train"/>, validating on <paramref name="validation"/> (or on a
    /// seeded hold-out of <see cref="ValidationFraction"/> of the training data) after every epoch.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingHistory Fit(Dataset train, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (validation is null && ValidationFraction is { } fraction)
        {
            Dataset[] parts = train.Split(new ModelRandom(Seed), [1.0 - fraction, fraction]);
            (train, validation) = (parts[0], parts[1]);
        }

        // Without validation data and without early stopping, the best epoch is judged by the training loss.
        string metric = validation is null && Patience is null ? "loss" : Metric;
        if (metric != "loss" && validation is null)
        {
            throw new ArgumentException(
                $"Early stopping on '{Metric}' needs validation data: pass a validation dataset, set ValidationFraction, or monitor 'loss'.",
                nameof(validation));
        }

        var dataRandom = new ModelRandom(Seed);
        // Every replica shuffles alike and takes its shard of each global batch of BatchSize per process.
        var loader = group is null
            ? new DataLoader(train, BatchSize, dataRandom)
            : new DataLoader(train, checked(BatchSize * group.Size), dataRandom, shard: group.Rank, shards: group.Size);
        LearningRateSchedule schedule = LearningRateSchedule.Create(Schedule, LearningRate, loader.BatchCount, Epochs);
        var run = new RunState(TrainingSpecs.HigherIsBetter(metric));
        int firstEpoch = 1;
        if (Options.ResumeFrom is { } resumePath)
        {
            firstEpoch = Resume(resumePath, dataRandom, run, schedule);
        }

        // Replicas start from rank 0's weights; a resumed run has read the same checkpoint everywhere.
        group?.Broadcast(model.Parameters);
        group?.Broadcast(model.Buffers);

        var epochs = new List<EpochResult>();
        using TrainingLog? log = Options.LogPath is { } logPath && WritesFiles ? new TrainingLog(logPath, append: Options.ResumeFrom is not null) : null;
        var clock = Stopwatch.StartNew();
        // A run resumed from the checkpoint of a run that stopped early stays stopped, as a rerun of the same command should.
        for (int epoch = firstEpoch; epoch <= Epochs && !run.StoppedEarly; epoch++)
        {
            EpochResult result = RunEpoch(epoch, loader, schedule, run, validation, clock, cancellationToken);
            epochs.Add(result);
            log?.Write(result);
            if (schedule.ObservesEpochs)
            {
                // reduce_on_plateau watches the validation loss, as Keras's callback does by default.
                schedule.ObserveEpoch(result.Validation?.Loss ?? result.TrainLoss);
            }

            run.StoppedEarly = AgreeOnRankZero(run.Observe(result, metric, model, Patience));
            if (Options.CheckpointPath is { } checkpointPath && WritesFiles)
            {
                SaveCheckpoint(checkpointPath, epoch, run, dataRandom, schedule);
            }
        }

        if (Patience is not null && run.BestParameters is not null)
        {
            run.BestParameters.CopyTo(model.Parameters);
            run.BestBuffers!.CopyTo(model.Buffers);
        }

        return new TrainingHistory(epochs, run.BestEpoch, run.BestScore, metric, run.StoppedEarly, clock.Elapsed);
    }

    private EpochResult RunEpoch(
        int epoch, DataLoader loader, LearningRateSchedule schedule, RunState run, Dataset? validation, Stopwatch clock, CancellationToken cancellationToken)
    {
        var epochClock = Stopwatch.StartNew();
        TimeSpan lastReport = TimeSpan.Zero;
        double lossSum = 0;
        long examples = 0;
        float learningRate = Optimizer.LearningRate;
        if (group is { Rank: > 0 })
        {
            // Replicas draw their own dropout masks; seeding by epoch keeps a resumed run's draws.
            model.Random.SetState(new ModelRandom(unchecked(((ulong)(uint)Seed << 32) ^ ((ulong)group.Rank << 20) ^ (uint)epoch)).GetState());
        }

        loader.StartEpoch();
        for (int b = 0; b < loader.BatchCount; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ModelData batch = loader.Batch(b);
            int count = loader.ShardExamplesIn(b);
            learningRate = schedule.LearningRateAt(run.Step);
            Optimizer.LearningRate = learningRate;
            float loss = count > 0 ? model.ForwardBackward(batch) : 0;
            if (!float.IsFinite(loss))
            {
                throw new TrainingDivergedException(epoch, run.Step + 1, b + 1, loss);
            }

            if (group is not null)
            {
                SumGradientsAcrossGroup(count, loader.ExamplesIn(b));
            }

            TrainingStep.Apply(Optimizer, model.Parameters, model.Gradients, model.ParameterInfos, ClipValue, ClipNorm, MaxNorm);
            run.Step++;
            lossSum += (double)loss * count;
            examples += count;
            if (Options.Progress is { } progress && WritesFiles && epochClock.Elapsed - lastReport >= Options.ProgressInterval)
            {
                lastReport = epochClock.Elapsed;
                progress.Report(Progress(epoch, b + 1, loader, lossSum / examples, examples, epochClock.Elapsed, clock.Elapsed, null));
            }
        }

        if (group is not null)
        {
            (lossSum, examples) = SumLossAcrossGroup(lossSum, examples);
            AverageBuffersAcrossGroup();
        }

        double seconds = epochClock.Elapsed.TotalSeconds;
        Evaluation? scores = validation is null ? null : Evaluator.Evaluate(validation);
        var result = new EpochResult(epoch, lossSum / examples, scores, learningRate, epochClock.Elapsed, examples / Math.Max(seconds, 1e-9));
        if (WritesFiles)
        {
            Options.Progress?.Report(Progress(epoch, loader.BatchCount, loader, result.TrainLoss, examples, epochClock.Elapsed, clock.Elapsed, result));
        }

        return result;
    }

    /// <summary>
    /// Turns each replica's mean gradient over its shard into the mean over the whole batch: shards
    /// weigh by their share of the batch, and a shard left empty by a short last batch adds zeros.
    /// </summary>
    private void SumGradientsAcrossGroup(int shardExamples, int batchExamples)
    {
        Span<float> gradients = model.Gradients;
        if (shardExamples == 0)
        {
            gradients.Clear();
        }
        else
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradients, (float)shardExamples / batchExamples, gradients);
        }

        group!.SumAcrossRanks(gradients);
    }

    private (double LossSum, long Examples) SumLossAcrossGroup(double lossSum, long examples)
    {
        Span<float> totals = [(float)lossSum, examples];
        group!.SumAcrossRanks(totals);
        return (totals[0], (long)totals[1]);
    }

    /// <summary>
    /// Batchnorm's running statistics follow each replica's own shards during an epoch (as in
    /// PyTorch's DistributedDataParallel without SyncBatchNorm); at the epoch's end every replica
    /// takes their mean, so validation, early stopping and checkpoints see one set of statistics.
    /// </summary>
    private void AverageBuffersAcrossGroup()
    {
        Span<float> buffers = model.Buffers;
        if (buffers.IsEmpty)
        {
            return;
        }

        group!.SumAcrossRanks(buffers);
        System.Numerics.Tensors.TensorPrimitives.Multiply(buffers, 1f / group.Size, buffers);
    }

    /// <summary>Every replica judges the same scores, but rank 0's decision is the one all of them follow.</summary>
    private bool AgreeOnRankZero(bool decision)
    {
        if (group is null)
        {
            return decision;
        }

        Span<float> flag = [decision ? 1 : 0];
        group.Broadcast(flag);
        return flag[0] != 0;
    }

    private TrainingProgress Progress(
        int epoch, int batch, DataLoader loader, double loss, long examples, TimeSpan epochTime, TimeSpan elapsed, EpochResult? completed)
    {
        double samplesPerSecond = examples / Math.Max(epochTime.TotalSeconds, 1e-9);
        long remainingExamples = ((long)(Epochs - epoch) * loader.Dataset.Count) + (loader.Dataset.Count - examples);
        TimeSpan remaining = TimeSpan.FromSeconds(Math.Max(remainingExamples, 0) / Math.Max(samplesPerSecond, 1e-9));
        return new TrainingProgress(epoch, Epochs, batch, loader.BatchCount, loss, samplesPerSecond, elapsed, remaining, completed)
        {
            EpochElapsed = epochTime,
        };
    }

    private void SaveCheckpoint(string path, int epoch, RunState run, ModelRandom dataRandom, LearningRateSchedule schedule)
    {
        var metadata = new Dictionary<string, string>
        {
            [BestEpochKey] = run.BestEpoch.ToString(CultureInfo.InvariantCulture),
            [BestScoreKey] = run.BestScore.ToString("R", CultureInfo.InvariantCulture),
            [EpochsWithoutImprovementKey] = run.EpochsWithoutImprovement.ToString(CultureInfo.InvariantCulture),
            [StoppedEarlyKey] = run.StoppedEarly ? "true" : "false",
        };
        foreach ((string key, string value) in schedule.ExportState())
        {
            metadata[ScheduleKeyPrefix + key] = value;
        }

        if (Patience is not null && run.BestEpoch == epoch)
        {
            // The best weights live beside the checkpoint so that a resumed run can still restore them.
            ModelWeights.Save(model, BestWeightsPath(path));
        }

        Checkpoint.Save(path, model, new CheckpointInfo(epoch, run.Step, dataRandom.GetState(), metadata));
    }

    /// <summary>
    /// Reads the checkpoint, its trainer entries and (with early stopping) the best epoch's weights
    /// beside it, and checks them all before the model, the data generator or the run change.
    /// </summary>
    private int Resume(string path, ModelRandom dataRandom, RunState run, LearningRateSchedule schedule)
    {
        Checkpoint.PendingCheckpoint checkpoint = Checkpoint.Read(path, model);
        CheckpointInfo info = checkpoint.Info;
        int bestEpoch = TrainerEntry<int>(path, info, BestEpochKey, text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= info.Epoch ? value : null);
        double bestScore = TrainerEntry<double>(path, info, BestScoreKey, text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && !double.IsNaN(value) ? value : (double?)null);
        int withoutImprovement = TrainerEntry<int>(path, info, EpochsWithoutImprovementKey, text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null);
        // Checkpoints written before the stopped state was recorded lack the entry; they were written while running.
        bool stoppedEarly = info.Metadata.ContainsKey(StoppedEarlyKey)
            && TrainerEntry<bool>(path, info, StoppedEarlyKey, text => text switch { "true" => true, "false" => false, _ => (bool?)null });
        ModelWeights.ModelState? best = null;
        if (Patience is not null && bestEpoch >= 1)
        {
            string bestPath = BestWeightsPath(path);
            if (!File.Exists(bestPath))
            {
                throw new FileNotFoundException(
                    $"{path}: resuming with early stopping needs the best epoch's weights (epoch {bestEpoch}) from {bestPath}, which does not exist; "
                    + "keep that file beside the checkpoint, or resume without Patience.",
                    bestPath);
            }

            best = ModelWeights.ReadParameters(model, SafetensorsFile.Read(bestPath), isOtherTensor: _ => false);
        }

        var scheduleState = info.Metadata.Where(e => e.Key.StartsWith(ScheduleKeyPrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key.Substring(ScheduleKeyPrefix.Length), e => e.Value, StringComparer.Ordinal);
        if (schedule.ObservesEpochs)
        {
            try
            {
                schedule.ImportState(scheduleState);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: the checkpoint's schedule state does not fit this run's schedule: {e.Message}", e);
            }
        }

        checkpoint.ApplyTo(model);
        dataRandom.SetState(info.DataRandom);
        run.Step = info.Step;
        run.BestEpoch = bestEpoch;
        run.BestScore = bestScore;
        run.EpochsWithoutImprovement = withoutImprovement;
        run.StoppedEarly = stoppedEarly;
        if (best is not null)
        {
            (run.BestParameters, run.BestBuffers) = (best.Parameters, best.Buffers);
        }

        return info.Epoch + 1;
    }

    /// <summary>A trainer entry of the checkpoint's metadata, parsed; missing or unreadable is an error naming the file and the key.</summary>
    private static T TrainerEntry<T>(string path, CheckpointInfo info, string key, Func<string, T?> parse)
        where T : struct
    {
        if (!info.Metadata.TryGetValue(key, out string? text))
        {
            throw new InvalidDataException(
                $"{path}: not a Trainer checkpoint: its metadata has no '{key}' (a file written by Checkpoint.Save holds no training run; "
                + "load it with Checkpoint.Load instead of ResumeFrom).");
        }

        return parse(text) ?? throw new InvalidDataException($"{path}: checkpoint metadata '{key}' is \"{text}\", which a Trainer never writes.");
    }

    private static string BestWeightsPath(string checkpointPath) => checkpointPath + ".best.safetensors";

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be at least 1.");

    /// <summary>The bookkeeping that carries from epoch to epoch and into checkpoints.</summary>
    private sealed class RunState(bool higherIsBetter)
    {
        public long Step { get; set; }

        public int BestEpoch { get; set; }

        public double BestScore { get; set; } = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;

        public int EpochsWithoutImprovement { get; set; }

        /// <summary>Patience ran out: no further epoch is trained, in this run or a resumed one.</summary>
        public bool StoppedEarly { get; set; }

        public float[]? BestParameters { get; set; }

        /// <summary>The best epoch's running statistics (batchnorm), restored with its parameters.</summary>
        public float[]? BestBuffers { get; set; }

        /// <summary>Records the epoch's score; returns whether patience has run out.</summary>
        public bool Observe(EpochResult epoch, string metric, IModel model, int? patience)
        {
            double score = metric switch
            {
                "val_accuracy" => epoch.Validation?.Accuracy ?? double.NaN,
                "val_loss" => epoch.Validation?.Loss ?? double.NaN,
                _ => epoch.TrainLoss,
            };
            bool improved = higherIsBetter ? score > BestScore : score < BestScore;
            if (improved)
            {
                BestScore = score;
                BestEpoch = epoch.Epoch;
                EpochsWithoutImprovement = 0;
                if (patience is not null)
                {
                    BestParameters ??= new float[model.Parameters.Length];
                    BestBuffers ??= new float[model.Buffers.Length];
                    model.Parameters.CopyTo(BestParameters);
                    model.Buffers.CopyTo(BestBuffers);
                }

                return false;
            }

            EpochsWithoutImprovement++;
            return patience is { } limit && EpochsWithoutImprovement >= limit;
        }
    }
}
