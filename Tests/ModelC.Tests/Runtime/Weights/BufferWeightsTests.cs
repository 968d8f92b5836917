using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ModelC.Runtime;
using ModelC.Runtime.Training;
using ModelC.Runtime.Data;
using ModelC.Runtime.Weights;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime.Weights;

/// <summary>Batchnorm's running statistics are buffers: weight files, checkpoints and early stopping carry them.</summary>
public class BufferWeightsTests
{
    private const string Normalized = """
        model Normalized {
            input x : float[3];
            target y : int<2>;
            layer bn = batchnorm();
            layer out = dense(2);
            output logits = out(bn(x));
            loss = cross_entropy(logits, y);
            train { optimizer = sgd(lr: 0.1); batch = 4; epochs = 2; }
        }
        """;

    private static Dataset Data(int count, int seed)
    {
        var random = new ModelRandom(seed);
        float[] x = Enumerable.Range(0, count * 3).Select(i => 5 + (3 * random.NextNormal())).ToArray();
        int[] y = Enumerable.Range(0, count).Select(i => x[3 * i] > 5 ? 1 : 0).ToArray();
        return new Dataset(DatasetColumn.OfFloats("x", x, 3), DatasetColumn.OfInts("y", y));
    }

    private static float[] Logits(IModel model, float[] x)
    {
        var data = new ModelData().Set("x", x).Set("logits", new float[x.Length / 3 * 2]);
        model.Forward(data, training: false);
        return data.Floats("logits").ToArray();
    }

    [Fact]
    public void Running_statistics_are_saved_and_loaded_with_the_weights()
    {
        using var folder = new TempDirectory();
        IModel trained = ModelHarness.Create(Normalized);
        new Trainer(trained).Fit(Data(40, 1));
        Assert.DoesNotContain(trained.Buffers.ToArray(), v => v is 0 or 1);   // the statistics moved away from their start
        string path = folder.File("bn.safetensors");

        ModelWeights.Save(trained, path);
        IModel loaded = ModelHarness.Create(Normalized, seed: 5);
        ModelWeights.Load(loaded, path);

        Assert.Equal(trained.Buffers.ToArray(), loaded.Buffers.ToArray());
        float[] x = Data(3, 2)["x"].Floats.ToArray();
        Assert.Equal(Logits(trained, x), Logits(loaded, x));
        Assert.Equal(["bn.weight", "bn.bias", "out.weight", "out.bias", "bn.running_mean", "bn.running_var"],
            SafetensorsFile.Read(path).Tensors.Select(t => t.Name));
    }

    [Fact]
    public void PyTorch_batch_counters_are_ignored_but_a_missing_running_statistic_is_named()
    {
        using var folder = new TempDirectory();
        IModel model = ModelHarness.Create(Normalized);
        string complete = folder.File("torch.safetensors");
        WriteStateDict(complete, model, withCounter: true, skip: null);
        string partial = folder.File("partial.safetensors");
        WriteStateDict(partial, model, withCounter: true, skip: "bn.running_var");

        ModelWeights.Load(model, complete);
        var error = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, partial));

        Assert.Contains("missing tensors bn.running_var", error.Message);
        Assert.Contains(partial, error.Message);
    }

    [Fact]
    public void Early_stopping_restores_the_best_epochs_running_statistics_too()
    {
        IModel model = ModelHarness.Create(Normalized, seed: 1);
        // Validation labels are flipped, so the first epoch is the best and later ones are worse.
        Dataset validation = Data(20, 2);
        validation = new Dataset(validation["x"], DatasetColumn.OfInts("y", validation["y"].Ints.ToArray().Select(y => 1 - y).ToArray()));
        var reports = new System.Collections.Generic.List<float[]>();
        var progress = new Recorder(model, reports);

        TrainingHistory history = new Trainer(model, new TrainerOptions { Epochs = 6, Patience = 2, Progress = progress }).Fit(Data(40, 1), validation);

        Assert.True(history.StoppedEarly);
        Assert.Equal(reports[history.BestEpoch - 1], model.Buffers.ToArray());
        Assert.NotEqual(reports[^1], model.Buffers.ToArray());
    }

    /// <summary>Records the buffers at the end of every epoch.</summary>
    private sealed class Recorder(IModel model, System.Collections.Generic.List<float[]> buffers) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.CompletedEpoch is not null)
            {
                buffers.Add(model.Buffers.ToArray());
            }
        }
    }

    /// <summary>A state_dict as PyTorch's safetensors writer lays it out, with BatchNorm's int64 batch counter.</summary>
    private static void WriteStateDict(string path, IModel model, bool withCounter, string? skip)
    {
        var tensors = model.ParameterInfos.Select(i => (i.Name, i.Shape, Values: model.Parameters.Slice(i.Offset, i.Length).ToArray()))
            .Concat(model.BufferInfos.Select(i => (i.Name, i.Shape, Values: model.Buffers.Slice(i.Offset, i.Length).ToArray())))
            .Where(t => t.Name != skip)
            .ToList();
        var header = new StringBuilder("{");
        var data = new MemoryStream();
        foreach (var (name, shape, values) in tensors)
        {
            long begin = data.Length;
            foreach (float v in values)
            {
                data.Write(BitConverter.GetBytes(v));
            }

            header.Append(CultureInfo.InvariantCulture, $"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Length}]}},");
        }

        if (withCounter)
        {
            long begin = data.Length;
            data.Write(BitConverter.GetBytes(7L));
            header.Append(CultureInfo.InvariantCulture, $"\"bn.num_batches_tracked\":{{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[{begin},{data.Length}]}},");
        }

        header.Length--;
        header.Append('}');
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)headerBytes.Length));
        file.Write(headerBytes);
        data.Position = 0;
        data.CopyTo(file);
    }
}
