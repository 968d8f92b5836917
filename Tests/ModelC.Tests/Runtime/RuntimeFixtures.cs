using System;
using System.IO;
using System.Text.Json;
using ModelC.Tests.Fixtures;

namespace ModelC.Tests.Runtime;

/// <summary>
/// The runtime's PyTorch fixtures in Tests/ModelC.Tests/Fixtures/Runtime, written by
/// make_runtime_fixtures.py (README.md there says how), read in place from the source tree.
/// </summary>
internal static class RuntimeFixtures
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static string Directory => Path.Combine(GoldenFixture.Directory, "Runtime");

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static T Load<T>(string fileName)
    {
        string path = PathOf(fileName);
        return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"{path}: the file holds JSON null");
    }

    /// <summary>
    /// Whether <paramref name="got"/> is within <paramref name="relative"/> of <paramref name="want"/>,
    /// relative to |want| but never to less than <paramref name="floor"/> (values that should be ~0).
    /// </summary>
    public static double RelativeError(double got, double want, double floor = 1e-3) =>
        Math.Abs(got - want) / Math.Max(Math.Abs(want), floor);
}
