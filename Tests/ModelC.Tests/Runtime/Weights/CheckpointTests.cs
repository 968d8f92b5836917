using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Optimizers;
using ModelC.Runtime.Weights;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime.Weights;

/// <summary>
/// Checkpoints: 5 steps + save + load into a fresh instance + 5 steps gives bit-identical
/// parameters to 10 uninterrupted steps (dropout and Adam, so the RNG and the moments must
/// both be restored); a failed save leaves the previous checkpoint intact.
/// </summary>
public class CheckpointTests
{
    private const string Source = """
        model CheckpointNet {
            input  x : float[5];
            target y : int<3>;
            layer fc1 = dense(7);
            layer out = dense(3);
            output logits = out(dropout(relu(fc1(x)), 0.4));
            loss = cross_entropy(logits, y);
            train { optimizer = adam(lr: 0.02); }
        }
        """;

    private const int Batch = 6;

    /// <summary>A deterministic batch per step, drawn from a data generator as a trainer would shuffle with it.</summary>
    private static ModelData BatchFor(ModelRandom data)
    {
        var x = new float[Batch * 5];
        data.FillNormal(x, 0, 1);
        int[] y = Enumerable.Range(0, Batch).Select(_ => data.NextInt(3)).ToArray();
        return new ModelData().Set("x", x).Set("y", y);
    }

    private static void Train(IModel model, ModelRandom data, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            model.TrainStep(BatchFor(data));
        }
    }

    private static int[] Bits(IModel model) => model.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void Resuming_gives_bit_identical_parameters_to_an_uninterrupted_run()
    {
        IModel straight = ModelHarness.Create(Source, seed: 42);
        Train(straight, new ModelRandom(7), 10);

        using var dir = new TempDirectory();
        string path = dir.File("run.ckpt.safetensors");
        IModel first = ModelHarness.Create(Source, seed: 42);
        var data = new ModelRandom(7);
        Train(first, data, 5);
        Checkpoint.Save(path, first, new CheckpointInfo(2, 5, data.GetState(), new Dictionary<string, string> { ["run"] = "a" }));

        IModel resumed = ModelHarness.Create(Source, seed: 1234);
        CheckpointInfo info = Checkpoint.Load(path, resumed);
        var resumedData = new ModelRandom(info.DataRandom);
        Train(resumed, resumedData, 5);

        Assert.Equal(Bits(straight), Bits(resumed));
        Assert.Equal(2, info.Epoch);
        Assert.Equal(5, info.Step);
        Assert.Equal(new Dictionary<string, string> { ["run"] = "a" }, info.Metadata);
        Assert.Equal(10, ((OptimizerBase)resumed.Optimizer).StepCount);
    }

    [Fact]
    public void Without_the_optimizer_state_and_rng_the_run_differs()
    {
        // The control for the test above: restoring only the weights is not enough, so
        // bit-identity there really depends on the optimizer moments and the dropout RNG.
        IModel straight = ModelHarness.Create(Source, seed: 42);
        Train(straight, new ModelRandom(7), 10);

        using var dir = new TempDirectory();
        string path = dir.File("weights.safetensors");
        IModel first = ModelHarness.Create(Source, seed: 42);
        var data = new ModelRandom(7);
        Train(first, data, 5);
        ModelWeights.Save(first, path);
        IModel weightsOnly = ModelHarness.Create(Source, seed: 1234);
        ModelWeights.Load(weightsOnly, path);
        Train(weightsOnly, data, 5);

        Assert.NotEqual(Bits(straight), Bits(weightsOnly));
    }

    [Fact]
    public void The_file_holds_parameters_optimizer_buffers_and_metadata()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.safetensors");
        IModel model = ModelHarness.Create(Source, seed: 42);
        Train(model, new ModelRandom(7), 3);
        model.Optimizer.LearningRate = 0.0125f;
        Checkpoint.Save(path, model, new CheckpointInfo(1, 3, new ModelRandom(9).GetState(), new Dictionary<string, string>()));

        SafetensorsFile file = SafetensorsFile.Read(path);
        Assert.Equal(
            ["fc1.weight", "fc1.bias", "out.weight", "out.bias", "optimizer.exp_avg", "optimizer.exp_avg_sq"],
            file.Tensors.Select(t => t.Name));
        Assert.Equal([(long)model.ParameterCount], file.Tensors.Single(t => t.Name == "optimizer.exp_avg").Shape);
        Assert.Equal("adam", file.Metadata["modelc.optimizer.kind"]);
        Assert.Equal("3", file.Metadata["modelc.optimizer.step_count"]);
        Assert.Equal("1", file.Metadata["modelc.epoch"]);
        Assert.Equal("CheckpointNet", file.Metadata["modelc.model"]);

        // A checkpoint is also a plain weights file.
        IModel other = ModelHarness.Create(Source, seed: 5);
        Assert.Throws<InvalidDataException>(() => ModelWeights.Load(other, path)); // optimizer tensors are extra there
        IModel restored = ModelHarness.Create(Source, seed: 5);
        Checkpoint.Load(path, restored);
        Assert.Equal(0.0125f, restored.Optimizer.LearningRate);
        Assert.Equal(model.Random.GetState(), restored.Random.GetState());
    }

    [Fact]
    public void A_failed_save_leaves_the_existing_checkpoint_intact()
    {
        using var dir = new TempDirectory();
        string path = dir.File("keep.safetensors");
        IModel model = ModelHarness.Create(Source, seed: 42);
        Train(model, new ModelRandom(7), 2);
        var info = new CheckpointInfo(0, 2, new ModelRandom(1).GetState(), new Dictionary<string, string>());
        Checkpoint.Save(path, model, info);
        byte[] saved = File.ReadAllBytes(path);

        Train(model, new ModelRandom(8), 2);
        var reserved = info with { Metadata = new Dictionary<string, string> { ["modelc.epoch"] = "99" } };
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, model, reserved)).Message);
        Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(Path.Combine(dir.Path, "gone", "x.safetensors"), model, info));

        Assert.Equal(saved, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_checkpoint_of_another_optimizer_is_refused_and_the_model_kept()
    {
        using var dir = new TempDirectory();
        string path = dir.File("adam.safetensors");
        IModel model = ModelHarness.Create(Source, seed: 42);
        Train(model, new ModelRandom(7), 2);
        Checkpoint.Save(path, model, new CheckpointInfo(0, 2, new ModelRandom(1).GetState(), new Dictionary<string, string>()));

        IModel sgdModel = ModelHarness.Create(Source, seed: 3);
        sgdModel.Optimizer = new Sgd(0.1f);
        float[] before = sgdModel.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, sgdModel));
        Assert.Contains(path, e.Message);
        Assert.Contains("the checkpoint's optimizer is 'adam' but the model's is 'sgd'", e.Message);
        Assert.Equal(before, sgdModel.Parameters.ToArray());
    }

    [Fact]
    public void Plain_weights_are_not_a_checkpoint()
    {
        using var dir = new TempDirectory();
        string path = dir.File("weights.safetensors");
        IModel model = ModelHarness.Create(Source);
        ModelWeights.Save(model, path);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model));
        Assert.Contains("not a ModelC checkpoint: its metadata has no 'modelc.checkpoint'", e.Message);
    }

    /// <summary>Rewrites the checkpoint at <paramref name="path"/> with one metadata entry replaced.</summary>
    private static void ReplaceMetadata(string path, string key, string value)
    {
        SafetensorsFile file = SafetensorsFile.Read(path);
        var writer = new SafetensorsWriter();
        foreach (SafetensorsTensor t in file.Tensors)
        {
            writer.Add(t.Name, t.Shape.Select(d => (int)d).ToArray(), file.ReadFloats(t.Name));
        }

        foreach ((string k, string v) in file.Metadata)
        {
            writer.Metadata[k] = k == key ? value : v;
        }

        writer.Save(path);
    }

    [Theory]
    [InlineData("7fc00000", "NaN")]      // NaN
    [InlineData("ff800000", "-Infinity")] // -infinity
    [InlineData("bf800000", "-1")]       // -1
    public void A_learning_rate_the_optimizer_refuses_is_named_and_changes_nothing(string bits, string shown)
    {
        using var dir = new TempDirectory();
        string path = dir.File("lr.safetensors");
        IModel saved = ModelHarness.Create(Source, seed: 42);
        Train(saved, new ModelRandom(7), 4);
        Checkpoint.Save(path, saved, new CheckpointInfo(0, 4, new ModelRandom(1).GetState(), new Dictionary<string, string>()));
        ReplaceMetadata(path, "modelc.optimizer.learning_rate", bits);

        IModel model = ModelHarness.Create(Source, seed: 3);
        Train(model, new ModelRandom(8), 2);
        float[] parameters = model.Parameters.ToArray();
        OptimizerState optimizer = model.Optimizer.ExportState();
        ModelRandomState random = model.Random.GetState();

        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model));

        Assert.Contains(path, e.Message);
        Assert.Contains($"'modelc.optimizer.learning_rate' is {shown}", e.Message);
        Assert.Equal(parameters, model.Parameters.ToArray());
        OptimizerState after = model.Optimizer.ExportState();
        Assert.Equal(2, after.StepCount);
        Assert.Equal(optimizer.Buffers["exp_avg"], after.Buffers["exp_avg"]);
        Assert.Equal(optimizer.Buffers["exp_avg_sq"], after.Buffers["exp_avg_sq"]);
        Assert.Equal(0.02f, model.Optimizer.LearningRate);
        Assert.Equal(random, model.Random.GetState());
    }

    [Fact]
    public void Saving_a_default_data_generator_state_is_refused_because_it_could_not_be_loaded()
    {
        using var dir = new TempDirectory();
        string path = dir.File("default.safetensors");
        IModel model = ModelHarness.Create(Source);

        var e = Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(path, model, new CheckpointInfo(0, 0, default, new Dictionary<string, string>())));

        Assert.Equal("info", e.ParamName);
        Assert.Contains("all zeros", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Damaged_rng_metadata_is_named()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.safetensors");
        IModel model = ModelHarness.Create(Source);
        Train(model, new ModelRandom(7), 1);
        Checkpoint.Save(path, model, new CheckpointInfo(0, 1, new ModelRandom(1).GetState(), new Dictionary<string, string>()));
        SafetensorsFile file = SafetensorsFile.Read(path);
        var writer = new SafetensorsWriter();
        foreach (SafetensorsTensor t in file.Tensors)
        {
            writer.Add(t.Name, t.Shape.Select(d => (int)d).ToArray(), file.ReadFloats(t.Name));
        }

        foreach ((string key, string value) in file.Metadata)
        {
            writer.Metadata[key] = key == "modelc.data_random" ? "00000000 00000000 00000000 00000000 none" : value;
        }

        writer.Save(path);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, ModelHarness.Create(Source)));
        Assert.Contains("'modelc.data_random'", e.Message);
    }
}
