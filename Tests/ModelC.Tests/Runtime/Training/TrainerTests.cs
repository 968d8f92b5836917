using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Training;
using ModelC.Runtime.Weights;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime.Training;

public sealed class TrainerTests : IDisposable
{
    private const string Classifier = """
        model Blobs {
            input x : float[2];
            target y : int<2>;
            layer hidden = dense(8);
            layer out = dense(2);
            let h = dropout(relu(hidden(x)), 0.1);
            output logits = out(h);
            loss = cross_entropy(logits, y);
            train {
                optimizer = adam(lr: 0.05);
                schedule = cosine(warmup: 1);
                batch = 16;
                epochs = 6;
            }
        }
        """;

    private const string Line = """
        model Line {
            input x : float[1];
            target t : float[1];
            layer fit = dense(1);
            output p = fit(x);
            loss = mse(p, t);
            train { optimizer = sgd(lr: 0.1); batch = 8; epochs = 30; }
        }
        """;

    private readonly string directory = Path.Combine(Path.GetTempPath(), "modelc-trainer-" + Guid.NewGuid().ToString("N"));

    public TrainerTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>Two Gaussian blobs of unit variance centred at (-2, 0) and (2, 0); labels flipped on request.</summary>
    private static Dataset Blobs(int count, int seed, bool flipLabels = false)
    {
        var random = new ModelRandom(seed);
        var x = new float[count * 2];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            x[2 * i] = (label == 0 ? -2 : 2) + random.NextNormal();
            x[(2 * i) + 1] = random.NextNormal();
            y[i] = flipLabels ? 1 - label : label;
        }

        return new Dataset(DatasetColumn.OfFloats("x", x, 2), DatasetColumn.OfInts("y", y));
    }

    [Fact]
    public void Settings_come_from_the_train_block_unless_overridden()
    {
        var model = ModelHarness.Create(Classifier);
        var fromBlock = new Trainer(model);
        var overridden = new Trainer(model, new TrainerOptions { Epochs = 2, BatchSize = 4, ClipNorm = 1 });

        Assert.Equal((6, 16, "cosine", 0.05f), (fromBlock.Epochs, fromBlock.BatchSize, fromBlock.Schedule!.Name, fromBlock.LearningRate));
        Assert.Null(fromBlock.ClipNorm);
        Assert.Equal((2, 4, 1f), (overridden.Epochs, overridden.BatchSize, overridden.ClipNorm));
    }

    [Fact]
    public void Fit_learns_separable_blobs_and_reports_every_epoch()
    {
        var model = ModelHarness.Create(Classifier, seed: 3);
        var reports = new List<TrainingProgress>();
        var trainer = new Trainer(model, new TrainerOptions { Progress = new Synchronous<TrainingProgress>(reports.Add) });

        TrainingHistory history = trainer.Fit(Blobs(400, seed: 1), Blobs(200, seed: 2));
        Evaluation test = trainer.Evaluate(Blobs(400, seed: 3));

        Assert.Equal(6, history.Epochs.Count);
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss / 2, $"loss {history.Epochs[0].TrainLoss} -> {history.Epochs[^1].TrainLoss}");
        // Bayes-optimal accuracy for these blobs is Φ(2) = 97.7 %.
        Assert.InRange(test.Accuracy!.Value, 0.95, 1.0);
        Assert.Equal(400, test.Confusion!.Total);
        TrainingProgress[] epochEnds = reports.Where(r => r.CompletedEpoch is not null).ToArray();
        Assert.Equal(Enumerable.Range(1, 6), epochEnds.Select(r => r.Epoch));
        Assert.Equal(1.0, epochEnds[^1].Fraction, 12);
        Assert.All(epochEnds, r => Assert.True(r.SamplesPerSecond > 0));
    }

    [Fact]
    public void Loss_writes_the_outputs_the_batch_binds_so_evaluation_needs_one_pass()
    {
        IModel model = ModelHarness.Create(Classifier, seed: 3);
        var random = new ModelRandom(4);
        float[] x = Enumerable.Range(0, 10 * 2).Select(_ => random.NextNormal() * 2).ToArray();
        int[] y = Enumerable.Range(0, 10).Select(i => i % 2).ToArray();
        var batch = new ModelData().Set("x", x).Set("y", y);
        var fromLoss = new float[10 * 2];
        var fromForward = new float[10 * 2];

        float loss = model.Loss(batch.Set("logits", fromLoss));
        model.Forward(new ModelData().Set("x", x).Set("logits", fromForward), training: false);

        Assert.Equal(fromForward, fromLoss);
        Assert.Contains(fromLoss, v => v != 0f);
        Assert.Equal(loss, model.Loss(new ModelData().Set("x", x).Set("y", y)));
        var tooShort = Assert.Throws<ArgumentException>(() => model.Loss(batch.Set("logits", new float[3])));
        Assert.Contains("logits", tooShort.Message);
    }

    [Fact]
    public void Regression_targets_are_scored_by_mse_and_r_squared()
    {
        var random = new ModelRandom(5);
        float[] x = Enumerable.Range(0, 200).Select(_ => (random.NextFloat() * 4) - 2).ToArray();
        float[] t = x.Select(v => (3 * v) - 1 + (0.1f * random.NextNormal())).ToArray();
        var data = new Dataset(DatasetColumn.OfFloats("x", x, 1), DatasetColumn.OfFloats("t", t, 1));
        var model = ModelHarness.Create(Line);

        var trainer = new Trainer(model, new TrainerOptions { Metric = "loss" });
        trainer.Fit(data);
        Evaluation scores = trainer.Evaluate(data);

        // The noise has variance 0.01; the targets about 3² · 4/3 = 12.
        Assert.InRange(scores.MeanSquaredError!.Value, 0.005, 0.02);
        Assert.InRange(scores.RSquared!.Value, 0.998, 1.0);
        Assert.Equal(scores.MeanSquaredError!.Value, scores.Loss, 4);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_weights()
    {
        // The validation labels are the training labels flipped, so the better the model learns,
        // the worse its validation loss: the first epoch is the best and the run stops after patience.
        var model = ModelHarness.Create(Classifier, seed: 1);
        var validation = Blobs(200, seed: 2, flipLabels: true);
        var trainer = new Trainer(model, new TrainerOptions { Patience = 2, Epochs = 10 });

        TrainingHistory history = trainer.Fit(Blobs(400, seed: 1), validation);

        Assert.True(history.StoppedEarly);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(history.Epochs[0].Validation!.Loss, trainer.Evaluate(validation).Loss, 10);
        Assert.True(history.Epochs[2].Validation!.Loss > history.Epochs[0].Validation!.Loss);
    }

    [Fact]
    public void Without_validation_data_the_block_fraction_is_held_out_or_the_error_says_what_to_do()
    {
        var model = ModelHarness.Create(Classifier);
        var error = Assert.Throws<ArgumentException>(() => new Trainer(model, new TrainerOptions { Patience = 2 }).Fit(Blobs(100, 1)));
        Assert.Contains("val_loss", error.Message);
        Assert.Contains("ValidationFraction", error.Message);

        TrainingHistory history = new Trainer(model, new TrainerOptions { Epochs = 1, ValidationFraction = 0.25f }).Fit(Blobs(100, 1));
        Assert.Equal(25, history.Epochs[0].Validation!.Examples);
    }

    [Fact]
    public void A_non_finite_loss_stops_training_naming_the_epoch_and_batch_before_any_weight_changes()
    {
        Dataset good = Blobs(64, seed: 1);
        float[] x = good["x"].Floats.ToArray();
        x[2 * 40] = float.NaN; // the seeded shuffle decides which of the four batches of 16 holds example 40
        var data = new Dataset(DatasetColumn.OfFloats("x", x, 2), good["y"]);
        var model = ModelHarness.Create(Classifier);
        var trainer = new Trainer(model, new TrainerOptions { Epochs = 1 });

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data));

        Assert.Equal(1, error.Epoch);
        Assert.InRange(error.Batch, 1, 4);
        Assert.Equal(error.Batch, error.Step);
        Assert.True(float.IsNaN(error.Loss));
        Assert.Contains($"epoch 1, batch {error.Batch}", error.Message);
        Assert.All(model.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void The_csv_log_has_a_row_per_epoch_in_invariant_numbers()
    {
        string log = Path.Combine(directory, "log.csv");
        var model = ModelHarness.Create(Classifier);
        new Trainer(model, new TrainerOptions { Epochs = 3, LogPath = log }).Fit(Blobs(100, 1), Blobs(50, 2));

        string[] lines = File.ReadAllLines(log);
        Assert.Equal(TrainingLog.Header, lines[0]);
        Assert.Equal(4, lines.Length);
        string[] last = lines[3].Split(',');
        Assert.Equal("3", last[0]);
        Assert.True(double.Parse(last[1], CultureInfo.InvariantCulture) > 0);
        Assert.InRange(double.Parse(last[3], CultureInfo.InvariantCulture), 0.5, 1.0);
        Assert.Equal(string.Empty, last[4]);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_gives_bit_identical_weights_to_an_uninterrupted_run()
    {
        Dataset train = Blobs(200, seed: 1);
        Dataset validation = Blobs(60, seed: 2);
        var options = new TrainerOptions { Epochs = 5, Patience = 3, Seed = 11 };

        var uninterrupted = ModelHarness.Create(Classifier, seed: 4);
        TrainingHistory whole = new Trainer(uninterrupted, options).Fit(train, validation);

        // The interrupted run is cancelled as soon as epoch 2 closes; its checkpoint is written before the next batch.
        string checkpoint = Path.Combine(directory, "run.ckpt");
        var cancellation = new CancellationTokenSource();
        var first = ModelHarness.Create(Classifier, seed: 4);
        var cancelAfterEpoch2 = new Synchronous<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch?.Epoch == 2)
            {
                cancellation.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => new Trainer(first, options with { CheckpointPath = checkpoint, Progress = cancelAfterEpoch2 })
            .Fit(train, validation, cancellation.Token));

        var resumed = ModelHarness.Create(Classifier, seed: 99);
        TrainingHistory rest = new Trainer(resumed, options with { ResumeFrom = checkpoint }).Fit(train, validation);

        Assert.Equal((whole.BestEpoch, whole.Epochs.Count, whole.BestScore), (rest.BestEpoch, rest.Epochs.Count + 2, rest.BestScore));
        Assert.Equal(whole.Epochs.Skip(2).Select(e => e.TrainLoss), rest.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(uninterrupted.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void Reduce_on_plateau_follows_the_validation_loss_and_resumes_bit_identically()
    {
        // Flipped validation labels: the validation loss stalls or rises while training improves.
        Dataset train = Blobs(200, seed: 1);
        Dataset validation = Blobs(60, seed: 2, flipLabels: true);
        var plateau = new ScheduleSpec("reduce_on_plateau", new Dictionary<string, double> { ["patience"] = 0, ["factor"] = 0.5 });
        var options = new TrainerOptions { Epochs = 5, Seed = 3, Schedule = plateau, LearningRate = 0.04f };

        var uninterrupted = ModelHarness.Create(Classifier, seed: 4);
        TrainingHistory whole = new Trainer(uninterrupted, options).Fit(train, validation);

        // PyTorch's rule with patience 0: each epoch whose loss is not below best * (1 - 1e-4) halves the next epoch's rate.
        double best = double.PositiveInfinity, rate = 0.04;
        foreach (EpochResult epoch in whole.Epochs)
        {
            Assert.Equal((float)rate, epoch.LearningRate);
            double loss = epoch.Validation!.Loss;
            if (loss < best * (1 - 1e-4)) best = loss;
            else rate *= 0.5;
        }

        Assert.True(whole.Epochs[^1].LearningRate < 0.04f, "the validation loss never stalled, so the test proves nothing");

        string checkpoint = Path.Combine(directory, "plateau.ckpt");
        var cancellation = new CancellationTokenSource();
        var cancelAfterEpoch3 = new Synchronous<TrainingProgress>(p =>
        {
            if (p.CompletedEpoch?.Epoch == 3)
            {
                cancellation.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => new Trainer(ModelHarness.Create(Classifier, seed: 4), options with { CheckpointPath = checkpoint, Progress = cancelAfterEpoch3 })
            .Fit(train, validation, cancellation.Token));
        var resumed = ModelHarness.Create(Classifier, seed: 99);
        TrainingHistory rest = new Trainer(resumed, options with { ResumeFrom = checkpoint }).Fit(train, validation);

        Assert.Equal(whole.Epochs.Skip(3).Select(e => e.LearningRate), rest.Epochs.Select(e => e.LearningRate));
        Assert.Equal(uninterrupted.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void Resuming_a_run_that_stopped_early_trains_no_further_and_restores_the_best_epoch()
    {
        // As in the early-stopping test above: the first epoch is the best, patience runs out after the third.
        Dataset train = Blobs(400, seed: 1);
        Dataset validation = Blobs(200, seed: 2, flipLabels: true);
        string checkpoint = Path.Combine(directory, "stopped.ckpt");
        var options = new TrainerOptions { Patience = 2, Epochs = 10, CheckpointPath = checkpoint };
        var reference = ModelHarness.Create(Classifier, seed: 1);
        TrainingHistory stopped = new Trainer(reference, options).Fit(train, validation);
        Assert.Equal((true, 3, 1), (stopped.StoppedEarly, stopped.Epochs.Count, stopped.BestEpoch));
        byte[] saved = File.ReadAllBytes(checkpoint);

        // Rerunning the same command, with the checkpoint as both the resume point and the target.
        var resumed = ModelHarness.Create(Classifier, seed: 99);
        TrainingHistory again = new Trainer(resumed, options with { ResumeFrom = checkpoint }).Fit(train, validation);

        Assert.Empty(again.Epochs);
        Assert.Equal((true, 1, stopped.BestScore), (again.StoppedEarly, again.BestEpoch, again.BestScore));
        Assert.Equal(reference.Parameters.ToArray(), resumed.Parameters.ToArray());
        Assert.Equal(saved, File.ReadAllBytes(checkpoint));
    }

    [Fact]
    public void Resuming_from_a_plain_checkpoint_says_so_and_leaves_the_model_unchanged()
    {
        string path = Path.Combine(directory, "plain.ckpt");
        var saved = ModelHarness.Create(Classifier, seed: 1);
        new Trainer(saved, new TrainerOptions { Epochs = 1 }).Fit(Blobs(64, seed: 1), Blobs(32, seed: 2));
        Checkpoint.Save(path, saved, new CheckpointInfo(1, 4, new ModelRandom(3).GetState(), new Dictionary<string, string>()));
        var model = ModelHarness.Create(Classifier, seed: 5);
        float[] before = model.Parameters.ToArray();

        var e = Assert.Throws<InvalidDataException>(() =>
            new Trainer(model, new TrainerOptions { ResumeFrom = path }).Fit(Blobs(64, seed: 1), Blobs(32, seed: 2)));

        Assert.StartsWith($"{path}: not a Trainer checkpoint: its metadata has no 'trainer.best_epoch'", e.Message);
        Assert.Contains("Checkpoint.Load", e.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Optimizer.ExportState().StepCount);
    }

    [Fact]
    public void Resuming_without_the_best_weights_file_names_it_and_leaves_the_model_unchanged()
    {
        string checkpoint = Path.Combine(directory, "run.ckpt");
        var options = new TrainerOptions { Epochs = 2, Patience = 3, CheckpointPath = checkpoint };
        new Trainer(ModelHarness.Create(Classifier, seed: 1), options).Fit(Blobs(64, seed: 1), Blobs(32, seed: 2));
        string best = checkpoint + ".best.safetensors";
        File.Delete(best);
        var model = ModelHarness.Create(Classifier, seed: 5);
        float[] before = model.Parameters.ToArray();

        var e = Assert.Throws<FileNotFoundException>(() =>
            new Trainer(model, options with { ResumeFrom = checkpoint, Epochs = 3 }).Fit(Blobs(64, seed: 1), Blobs(32, seed: 2)));

        Assert.Equal(best, e.FileName);
        Assert.Contains(checkpoint, e.Message);
        Assert.Contains("best epoch's weights", e.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, model.Optimizer.ExportState().StepCount);
    }

    /// <summary>Progress that runs the handler on the reporting thread, unlike Progress&lt;T&gt;.</summary>
    private sealed class Synchronous<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
