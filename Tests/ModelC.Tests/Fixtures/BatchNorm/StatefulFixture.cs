using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelC.Tests.Fixtures;

/// <summary>
/// A golden fixture of a model with running statistics (make_fixtures.py, STATEFUL_FIXTURES):
/// the fields of <see cref="GoldenFixture"/>, computed in training mode, plus the buffers one
/// training pass leaves and the inference-mode outputs and loss that use them (PyTorch's eval()).
/// </summary>
public sealed record StatefulFixture(
    string Name,
    string Model,
    int Batch,
    int Seed,
    IReadOnlyList<FixtureParameter> Parameters,
    IReadOnlyDictionary<string, FixtureInput> Inputs,
    IReadOnlyDictionary<string, FixtureTarget> Targets,
    IReadOnlyDictionary<string, double[]> Outputs,
    IReadOnlyDictionary<string, int[]> OutputShapes,
    double Loss,
    double[] ExampleLosses,
    IReadOnlyList<FixtureGradient> Gradients,
    IReadOnlyDictionary<string, double[]> InputGradients,
    IReadOnlyList<FixtureGradient> Buffers,
    IReadOnlyDictionary<string, double[]> EvalOutputs,
    double EvalLoss)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static string Directory => Path.Combine(GoldenFixture.Directory, "BatchNorm");

    public string ReadModelSource() => File.ReadAllText(Path.Combine(Directory, Model));

    public float[] FlatParameters() => Parameters.SelectMany(p => p.Values).Select(v => (float)v).ToArray();

    public static StatefulFixture Load(string name)
    {
        string path = Path.Combine(Directory, name + ".json");
        if (!File.Exists(path)) throw new FileNotFoundException($"stateful fixture '{name}' not found: {path} does not exist", path);
        try
        {
            return JsonSerializer.Deserialize<StatefulFixture>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path}: the file holds JSON null, not a fixture");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a stateful fixture: {e.Message}", e);
        }
    }

    public static IEnumerable<object[]> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new object[] { n! });
}
