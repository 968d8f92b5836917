using System;
using System.Linq;
using ModelC.Runtime;

namespace ModelC.Samples.CharRnn;

/// <summary>
/// Generates text from a trained character model of fixed window length T: the model reads the
/// last T characters (the prompt left-padded with newlines, the verse separator, while shorter),
/// and the next character is drawn from softmax(logits / temperature) of its last step.
/// </summary>
public static class TextSampler
{
    public static string Generate(IModel model, Alphabet alphabet, string prompt, int length, float temperature, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!(temperature > 0) || float.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive number.");
        if (!alphabet.Contains('\n'))
            throw new ArgumentException("The alphabet has no newline to pad a short prompt with.", nameof(alphabet));

        int steps = CharRnnDemo.WindowLength(model);
        int vocabulary = alphabet.Count;
        var random = new ModelRandom(seed);
        var generated = Enumerable.Repeat(alphabet.Encode("\n")[0], steps).Concat(alphabet.Encode(prompt)).ToList();
        var window = new int[steps];
        var logits = new float[model.Outputs.Single(o => o.Name == "logits").Size];
        if (logits.Length != steps * vocabulary)
            throw new ArgumentException($"The model's logits hold {logits.Length} numbers, not {steps} steps of {vocabulary} characters.", nameof(model));
        var data = new ModelData().Set("text", window).Set("logits", logits);
        var probabilities = new double[vocabulary];
        for (int k = 0; k < length; k++)
        {
            generated.CopyTo(generated.Count - steps, window, 0, steps);
            model.Forward(data, training: false);
            Softmax(logits.AsSpan((steps - 1) * vocabulary), temperature, probabilities);
            generated.Add(Draw(probabilities, random.NextDouble()));
        }
        return prompt + alphabet.Decode(generated.Skip(steps + prompt.Length).ToArray());
    }

    /// <summary>softmax(logits / temperature), computed from the largest logit down so it cannot overflow.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, float temperature, Span<double> probabilities)
    {
        float largest = float.NegativeInfinity;
        foreach (float logit in logits) largest = Math.Max(largest, logit);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += probabilities[i] = Math.Exp((logits[i] - largest) / temperature);
        for (int i = 0; i < logits.Length; i++) probabilities[i] /= sum;
    }

    /// <summary>The index whose cumulative probability first exceeds <paramref name="uniform"/> in [0, 1).</summary>
    public static int Draw(ReadOnlySpan<double> probabilities, double uniform)
    {
        double cumulative = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (uniform < cumulative) return i;
        }
        return probabilities.Length - 1;
    }
}
