using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Weights;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime.Weights;

/// <summary>String metadata and a fitted standardizer travel with the weights and come back exactly.</summary>
public class WeightsMetadataTests
{
    private const string Regression = """
        model Houses {
            input x : float[3];
            target price : float[1];
            layer fit = dense(1);
            output p = fit(x);
            loss = mse(p, price);
        }
        """;

    private static Dataset Features() => new(DatasetColumn.OfFloats("x", [41_000, 0.25f, 3, 52_000, 0.5f, 7, 38_500, 0.125f, 1, 61_250, 1, 4], 3));

    [Fact]
    public void Metadata_and_standardizer_round_trip_and_the_rebuilt_scaler_maps_bit_for_bit()
    {
        using var dir = new TempDirectory();
        string path = dir.File("houses.safetensors");
        IModel model = ModelHarness.Create(Regression, seed: 1);
        Standardizer fitted = Standardizer.Fit(Features(), "x");

        ModelWeights.Save(model, path, new Dictionary<string, string> { ["trained_on"] = "houses.csv", ["note"] = "ünïcödé, \"quoted\"" }, fitted);
        WeightsMetadata loaded = ModelWeights.Load(ModelHarness.Create(Regression, seed: 2), path);

        Assert.Equal("houses.csv", loaded.Entries["trained_on"]);
        Assert.Equal("ünïcödé, \"quoted\"", loaded.Entries["note"]);
        Assert.Equal("pt", loaded.Entries["format"]);
        Standardizer rebuilt = loaded.Standardizer!;
        Assert.Equal("x", rebuilt.ColumnName);
        Assert.Equal(new[] { 3 }, rebuilt.Shape);
        Assert.Equal(fitted.Mean, rebuilt.Mean);
        Assert.Equal(fitted.StandardDeviation, rebuilt.StandardDeviation);
        Assert.Equal(fitted.Transform(Features())["x"].Floats.ToArray(), rebuilt.Transform(Features())["x"].Floats.ToArray());
        Assert.Equal(fitted.Mean, ModelWeights.ReadMetadata(path).Standardizer!.Mean);
    }

    [Fact]
    public void Weights_without_a_standardizer_have_none_and_still_load_as_before()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain.safetensors");
        IModel model = ModelHarness.Create(Regression, seed: 1);
        ModelWeights.Save(model, path);

        WeightsMetadata loaded = ModelWeights.Load(ModelHarness.Create(Regression, seed: 2), path);

        Assert.Null(loaded.Standardizer);
        Assert.Equal(new[] { "format" }, loaded.Entries.Keys);
        Assert.Equal(model.ParameterInfos.Select(p => p.Name), SafetensorsFile.Read(path).Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Reserved_metadata_keys_are_refused()
    {
        using var dir = new TempDirectory();
        IModel model = ModelHarness.Create(Regression, seed: 1);

        var error = Assert.Throws<ArgumentException>(() =>
            ModelWeights.Save(model, dir.File("w.safetensors"), new Dictionary<string, string> { ["modelc.scaler"] = "mine" }));

        Assert.Contains("'modelc.scaler' is reserved", error.Message);
        Assert.False(File.Exists(dir.File("w.safetensors")));
    }

    [Fact]
    public void A_damaged_saved_standardizer_is_reported_with_the_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.safetensors");
        IModel model = ModelHarness.Create(Regression, seed: 1);
        var writer = new SafetensorsWriter();
        foreach (ParameterInfo info in model.ParameterInfos)
        {
            writer.Add(info.Name, info.Shape, model.Parameters.Slice(info.Offset, info.Length));
        }

        writer.Metadata["modelc.scaler"] = "standardize";
        writer.Metadata["modelc.scaler.column"] = "x";
        writer.Metadata["modelc.scaler.shape"] = "3";
        writer.Metadata["modelc.scaler.mean"] = "1,2,3";
        writer.Metadata["modelc.scaler.std"] = "1,two,3";
        writer.Save(path);
        float[] before = model.Parameters.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(model, path));

        Assert.Contains(path, error.Message);
        Assert.Contains("modelc.scaler.std", error.Message);
        Assert.Equal(before, model.Parameters.ToArray());
    }
}
