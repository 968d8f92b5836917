using System;
using System.Globalization;

namespace ModelC.Samples.CharRnn;

/// <summary>The sample's options: <c>--seed N</c>, <c>--temperature X</c>, <c>--epochs N</c>, <c>--prompt TEXT</c>.</summary>
public sealed record CharRnnOptions(int Seed = 1, float Temperature = 0.7f, int? Epochs = null, string Prompt = "And God said")
{
    public const string Usage = "Usage: [--seed N] [--temperature X (> 0, default 0.7)] [--epochs N] [--prompt TEXT]";

    public static bool TryParse(string[] args, out CharRnnOptions options, out string error)
    {
        options = new CharRnnOptions();
        error = "";
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                error = $"The option '{args[i]}' has no value. {Usage}";
                return false;
            }
            string value = args[i + 1];
            switch (args[i])
            {
                case "--seed" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed):
                    options = options with { Seed = seed };
                    break;
                case "--temperature" when float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float t) && t > 0 && !float.IsInfinity(t):
                    options = options with { Temperature = t };
                    break;
                case "--epochs" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int epochs) && epochs > 0:
                    options = options with { Epochs = epochs };
                    break;
                case "--prompt":
                    options = options with { Prompt = value };
                    break;
                default:
                    error = $"Unrecognized argument '{args[i]} {value}' (argument {i + 1}). {Usage}";
                    return false;
            }
        }
        return true;
    }
}
