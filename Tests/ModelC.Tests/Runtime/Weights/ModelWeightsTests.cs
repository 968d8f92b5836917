using System;
using System.IO;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Weights;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime.Weights;

/// <summary>
/// ModelWeights: a PyTorch state_dict written as safetensors loads into the generated model
/// with the same names and gives torch's outputs; mismatched files are refused by name.
/// </summary>
public class ModelWeightsTests
{
    private const double Tolerance = 1e-5;

    private static readonly Lazy<string> MlpSource = new(() => File.ReadAllText(RuntimeFixtures.PathOf("WeightsMlp.model")));

    private sealed record MlpOutputs(string Torch, int Batch, double[] X, double[] Logits);

    private static float[] Logits(IModel model, float[] x, int batch)
    {
        var data = new ModelData().Set("x", x).Set("logits", new float[batch * 3]);
        model.Forward(data, training: false);
        return data.Floats("logits").ToArray();
    }

    [Fact]
    public void Pytorch_weights_give_pytorchs_outputs()
    {
        var expected = RuntimeFixtures.Load<MlpOutputs>("WeightsMlp.json");
        IModel model = ModelHarness.Create(MlpSource.Value, seed: 1);
        float[] x = expected.X.Select(v => (float)v).ToArray();
        float[] before = Logits(model, x, expected.Batch);

        ModelWeights.Load(model, RuntimeFixtures.PathOf("WeightsMlp.safetensors"));
        float[] logits = Logits(model, x, expected.Batch);

        Assert.Equal(expected.Logits.Length, logits.Length);
        double worst = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double error = RuntimeFixtures.RelativeError(logits[i], expected.Logits[i]);
            worst = Math.Max(worst, error);
            Assert.True(error <= Tolerance, $"logit {i}: got {logits[i]:R}, torch {expected.Logits[i]:R} (relative error {error:E2})");
        }

        // The model's own initialization must not already give torch's numbers.
        Assert.True(before.Zip(expected.Logits, (a, b) => Math.Abs(a - b)).Max() > 1e-2);
    }

    [Fact]
    public void Save_then_load_restores_every_parameter_bit_for_bit()
    {
        using var dir = new TempDirectory();
        string path = dir.File("mlp.safetensors");
        IModel source = ModelHarness.Create(MlpSource.Value, seed: 3);
        ModelWeights.Save(source, path);
        IModel target = ModelHarness.Create(MlpSource.Value, seed: 4);
        Assert.NotEqual(source.Parameters.ToArray(), target.Parameters.ToArray());
        ModelWeights.Load(target, path);
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());

        SafetensorsFile file = SafetensorsFile.Read(path);
        Assert.Equal(source.ParameterInfos.Select(p => p.Name), file.Tensors.Select(t => t.Name));
        Assert.Equal([8L, 6L], file.Tensors[0].Shape);
    }

    [Fact]
    public void Missing_and_extra_tensors_are_named_and_the_model_is_untouched()
    {
        using var dir = new TempDirectory();
        string path = dir.File("partial.safetensors");
        IModel model = ModelHarness.Create(MlpSource.Value, seed: 3);
        var writer = new SafetensorsWriter();
        foreach (ParameterInfo info in model.ParameterInfos.Where(p => p.Name != "fc2.bias"))
        {
            writer.Add(info.Name, info.Shape, model.Parameters.Slice(info.Offset, info.Length));
        }

        writer.Add("fc3.weight", [2], [1, 2]);
        writer.Save(path);
        IModel target = ModelHarness.Create(MlpSource.Value, seed: 5);
        float[] before = target.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(target, path));
        Assert.Contains(path, e.Message);
        Assert.Contains("missing tensors fc2.bias", e.Message);
        Assert.Contains("extra tensors the model does not have: fc3.weight", e.Message);
        Assert.Equal(before, target.Parameters.ToArray());
    }

    [Fact]
    public void A_shape_mismatch_names_both_shapes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("wide.safetensors");
        IModel wide = ModelHarness.Create(MlpSource.Value.Replace("dense(8)", "dense(9)"), seed: 1);
        ModelWeights.Save(wide, path);
        var e = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(ModelHarness.Create(MlpSource.Value), path));
        Assert.Contains("fc1.weight has shape [9, 6] but the model's is [8, 6]", e.Message);
        Assert.Contains("fc2.weight has shape [5, 9] but the model's is [5, 8]", e.Message);
    }

    [Fact]
    public void A_non_float32_parameter_is_refused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("f64.safetensors");
        IModel model = ModelHarness.Create(MlpSource.Value);
        string header = "{" + string.Join(",", model.ParameterInfos.Select((p, i) =>
            $"\"{p.Name}\":{{\"dtype\":\"{(i == 0 ? "F64" : "F32")}\",\"shape\":[{string.Join(",", p.Shape)}],\"data_offsets\":[{Start(model, i)},{Start(model, i + 1)}]}}")) + "}";
        RawSafetensors.Write(path, header, Start(model, model.ParameterInfos.Count));
        var e = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, path));
        Assert.Contains("fc1.weight is F64, but parameters are F32", e.Message);

        // Byte offsets when the first tensor is F64 (8 bytes per element) and the rest F32.
        static int Start(IModel m, int index) =>
            m.ParameterInfos.Take(index).Select((p, i) => p.Length * (i == 0 ? 8 : 4)).Sum();
    }
}
