using System;
using ModelC.Runtime;

namespace ModelC.Samples.HyperSearch;

/// <summary>The generated model of each hidden width in moons.model.</summary>
internal static class MoonsModels
{
    public static IModel Create(int width, int seed) => width switch
    {
        2 => new Moons2(seed),
        4 => new Moons4(seed),
        8 => new Moons8(seed),
        16 => new Moons16(seed),
        32 => new Moons32(seed),
        64 => new Moons64(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(width), width, "moons.model declares widths 2, 4, 8, 16, 32 and 64."),
    };
}
