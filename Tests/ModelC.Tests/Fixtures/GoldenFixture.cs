using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelC.Tests.Fixtures;

/// <summary>
/// One PyTorch golden fixture: a model's parameters, a batch of inputs and targets, and the
/// float64 reference outputs, loss and gradients. Written by make_fixtures.py; the format is
/// described in README.md next to it. All value arrays are flat, row-major, batch-major.
/// </summary>
public sealed record GoldenFixture(
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
    IReadOnlyDictionary<string, double[]> InputGradients)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A fixture that drifts from this record should fail to load, not load half-empty.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Lazy<string> LazyDirectory = new(FindDirectory);

    /// <summary>Tests/ModelC.Tests/Fixtures in the source tree (fixtures are read in place, not copied).</summary>
    public static string Directory => LazyDirectory.Value;

    /// <summary>The full path of the <c>.model</c> file this fixture was computed for.</summary>
    public string ModelPath => Path.Combine(Directory, Model);

    public string ReadModelSource() => File.ReadAllText(ModelPath);

    /// <summary>The parameters in declaration order, each row-major: the model's flat parameter vector.</summary>
    public float[] FlatParameters() => Parameters.SelectMany(p => p.Values).Select(v => (float)v).ToArray();

    /// <summary>d(batch loss)/d(parameters) laid out like <see cref="FlatParameters"/>.</summary>
    public double[] FlatGradients() => Gradients.SelectMany(g => g.Values).ToArray();

    public static GoldenFixture Load(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string path = Path.Combine(Directory, name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"golden fixture '{name}' not found: {path} does not exist", path);
        }

        GoldenFixture? fixture;
        try
        {
            fixture = JsonSerializer.Deserialize<GoldenFixture>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a golden fixture: {e.Message}", e);
        }

        return fixture ?? throw new InvalidDataException($"{path}: the file holds JSON null, not a golden fixture");
    }

    /// <summary>Every fixture name, sorted, as <c>[MemberData]</c> rows.</summary>
    public static IEnumerable<object[]> All() =>
        Names().Select(name => new object[] { name });

    public static IReadOnlyList<string> Names() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToArray();

    private static string FindDirectory()
    {
        string start = AppContext.BaseDirectory;
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelC.sln")))
            {
                return Path.Combine(dir.FullName, "Tests", "ModelC.Tests", "Fixtures");
            }
        }

        throw new DirectoryNotFoundException($"no folder containing ModelC.sln above {start}; golden fixtures are read from the source tree");
    }
}

/// <summary>A trainable parameter: name as in the model (<c>fc1.weight</c>), PyTorch shape, float32 values.</summary>
public sealed record FixtureParameter(string Name, int[] Shape, double[] Values)
{
    public int ElementCount => Shape.Aggregate(1, (product, d) => product * d);
}

/// <summary>A float input: its per-example shape and <c>batch × size</c> float32 values.</summary>
public sealed record FixtureInput(int[] Shape, double[] Values)
{
    public int ExampleSize => Shape.Aggregate(1, (product, d) => product * d);

    public float[] AsSingles() => Values.Select(v => (float)v).ToArray();
}

/// <summary>
/// A target. <c>int</c>: one class id in [0, Classes) per example, Shape empty.
/// <c>float</c>: per-example Shape, <c>batch × size</c> float32 values.
/// </summary>
public sealed record FixtureTarget(string Kind, int[] Shape, double[] Values, int? Classes = null)
{
    public bool IsInt => Kind == "int";

    public int ExampleSize => Shape.Aggregate(1, (product, d) => product * d);

    public float[] AsSingles() => Values.Select(v => (float)v).ToArray();

    public int[] AsInts()
    {
        if (!IsInt)
        {
            throw new InvalidOperationException($"target of kind '{Kind}' holds floats, not class ids");
        }

        return Values.Select(v => v == Math.Floor(v)
                ? (int)v
                : throw new InvalidDataException($"int target holds the non-integer {v}"))
            .ToArray();
    }
}

/// <summary>d(batch loss)/d(parameter), same name, order and layout as the parameter.</summary>
public sealed record FixtureGradient(string Name, double[] Values);
