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

    /// <summary>
    /// Generates text one character per step with a one-step model (CharRnnStep: input
    /// <c>text : int&lt;V&gt;[1]</c> and the LSTM state h0, c0; outputs logits and the next state
    /// h, c) whose parameters are the trained model's. The state starts at zero, reads a newline
    /// (the verse separator) and the prompt, and is carried from each character to the next, so a
    /// character costs one step of the network however long the text, and the context is the whole
    /// text so far rather than the last window. Draws as <see cref="Generate"/> does.
    /// </summary>
    public static string GenerateStepwise(IModel step, Alphabet alphabet, string prompt, int length, float temperature, int seed)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!(temperature > 0) || float.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive number.");
        if (!alphabet.Contains('\n'))
            throw new ArgumentException("The alphabet has no newline to start the text with.", nameof(alphabet));
        if (CharRnnDemo.WindowLength(step) != 1)
            throw new ArgumentException($"The model {step.Name} reads {CharRnnDemo.WindowLength(step)} characters at a time, not one.", nameof(step));

        int vocabulary = alphabet.Count;
        var text = new int[1];
        var logits = new float[Size(step.Outputs, "logits")];
        if (logits.Length != vocabulary)
            throw new ArgumentException($"The model's logits hold {logits.Length} numbers, not {vocabulary} characters.", nameof(step));
        int hidden = Size(step.Inputs, "h0"), cells = Size(step.Inputs, "c0");
        if (Size(step.Outputs, "h") != hidden || Size(step.Outputs, "c") != cells)
            throw new ArgumentException($"The model {step.Name}'s outputs h and c must be the size of its inputs h0 and c0.", nameof(step));
        float[] h0 = new float[hidden], c0 = new float[cells], h = new float[hidden], c = new float[cells];
        var data = new ModelData().Set("text", text).Set("h0", h0).Set("c0", c0).Set("logits", logits).Set("h", h).Set("c", c);
        void Read(int character)
        {
            text[0] = character;
            step.Forward(data, training: false);
            h.CopyTo(h0, 0);
            c.CopyTo(c0, 0);
        }

        foreach (int character in alphabet.Encode("\n" + prompt)) Read(character);
        var random = new ModelRandom(seed);
        var probabilities = new double[vocabulary];
        var generated = new int[length];
        for (int k = 0; k < length; k++)
        {
            Softmax(logits, temperature, probabilities);
            generated[k] = Draw(probabilities, random.NextDouble());
            if (k < length - 1) Read(generated[k]);
        }
        return prompt + alphabet.Decode(generated);
    }

    private static int Size(System.Collections.Generic.IReadOnlyList<TensorInfo> tensors, string name) =>
        (tensors.SingleOrDefault(t => t.Name == name) ?? throw new ArgumentException($"The step model has no '{name}'.")).Size;

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
