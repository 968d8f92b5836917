using System;
using System.Globalization;

namespace ModelC.Samples;

/// <summary>The sample's only option, <c>--seed N</c>.</summary>
public static class SeedArgument
{
    public static bool TryParse(string[] args, int defaultSeed, out int seed)
    {
        seed = defaultSeed;
        if (args.Length == 0)
            return true;
        if (args.Length == 2 && args[0] == "--seed" && int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
            return true;
        Console.Error.WriteLine($"Unrecognized arguments '{string.Join(" ", args)}'. Usage: [--seed N] (an integer; default {defaultSeed}).");
        return false;
    }
}
