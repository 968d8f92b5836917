using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Training;

namespace ModelC.Samples.CharRnn;

/// <summary>Validation bits per character after one epoch, and the epoch's mean training loss in the same unit.</summary>
public readonly record struct CharRnnEpoch(int Epoch, double TrainingBitsPerCharacter, double ValidationBitsPerCharacter);

public sealed record CharRnnRun(IReadOnlyList<CharRnnEpoch> Epochs, double UnigramBitsPerCharacter, int TrainingCharacters, int ValidationCharacters, int BatchSize)
{
    public double ValidationBitsPerCharacter => Epochs[^1].ValidationBitsPerCharacter;
}

/// <summary>
/// Trains a character language model (input <c>text : int&lt;V&gt;[T]</c>, target <c>next</c>, the
/// same window shifted by one) on the first 90 % of a text and scores the last 10 % in bits per
/// character (the mean cross-entropy divided by ln 2). Every epoch cuts the training text into
/// windows of T at a fresh random offset and visits them in a fresh random order. Written against
/// IModel, so the sample and its tests run the same code.
/// </summary>
public static class CharRnnDemo
{
    public const double ValidationShare = 0.1;

    /// <param name="progress">Receives a report per batch (at most every 100 ms) and per epoch, with the validation loss in nats.</param>
    public static CharRnnRun Run(IModel model, int[] encoded, int seed, int? epochs = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(encoded);
        int steps = WindowLength(model);
        int batchSize = model.TrainingDefaults.Batch ?? 32;
        int epochCount = epochs ?? model.TrainingDefaults.Epochs ?? 4;
        int split = (int)(encoded.Length * (1 - ValidationShare));
        var training = encoded.AsMemory(0, split);
        var validation = encoded.AsMemory(split);
        if (training.Length < 2 * steps + 1 || validation.Length < steps + 1)
            throw new ArgumentException($"A text of {encoded.Length} characters is too short for windows of {steps}.", nameof(encoded));

        var random = new ModelRandom(seed);
        var history = new List<CharRnnEpoch>();
        int batchesPerEpoch = (WindowStarts(training.Length, steps, 0).Length + batchSize - 1) / batchSize;
        var reports = new LoopProgress(progress, epochCount, batchesPerEpoch);
        for (int epoch = 1; epoch <= epochCount; epoch++)
        {
            var starts = WindowStarts(training.Length, steps, random.NextInt(steps));
            random.Shuffle(starts.AsSpan());
            double lossSum = 0;
            int windows = 0;
            reports.StartEpoch(epoch);
            foreach (var (inputs, targets, size) in Batches(training.Span, starts, steps, batchSize))
            {
                float loss = model.TrainStep(new ModelData().Set("text", inputs).Set("next", targets));
                lossSum += loss * size;
                windows += size;
                reports.AfterBatch(size, loss);
            }
            double validationBits = BitsPerCharacter(model, validation.Span, batchSize);
            reports.EndEpoch(new Evaluation(validation.Length, validationBits * Math.Log(2), null, null), model.Optimizer.LearningRate);
            history.Add(new CharRnnEpoch(epoch, lossSum / windows / Math.Log(2), validationBits));
        }
        return new CharRnnRun(history, Alphabet.UnigramBitsPerCharacter(training.Span), training.Length, validation.Length, batchSize);
    }

    /// <summary>The model's mean cross-entropy in bits over the non-overlapping windows of a text.</summary>
    public static double BitsPerCharacter(IModel model, ReadOnlySpan<int> encoded, int batchSize)
    {
        int steps = WindowLength(model);
        var starts = WindowStarts(encoded.Length, steps, offset: 0);
        double lossSum = 0;
        int windows = 0;
        foreach (var (inputs, targets, size) in Batches(encoded, starts, steps, batchSize))
        {
            lossSum += model.Loss(new ModelData().Set("text", inputs).Set("next", targets)) * size;
            windows += size;
        }
        return lossSum / windows / Math.Log(2);
    }

    /// <summary>T of the model's <c>text : int&lt;V&gt;[T]</c> input.</summary>
    public static int WindowLength(IModel model)
    {
        var text = model.Inputs.SingleOrDefault(i => i.Name == "text")
            ?? throw new ArgumentException($"The model {model.Name} has no input named 'text'.", nameof(model));
        if (text.Kind != TensorKind.Int || text.Shape.Length != 1)
            throw new ArgumentException($"The model {model.Name} reads '{text}', not a sequence int<V>[T].", nameof(model));
        return text.Shape[0];
    }

    /// <summary>Starts of the windows of <paramref name="steps"/> characters (plus the one that follows) from <paramref name="offset"/> on.</summary>
    public static int[] WindowStarts(int length, int steps, int offset)
    {
        int count = Math.Max(0, (length - 1 - offset) / steps);
        return Enumerable.Range(0, count).Select(k => offset + k * steps).ToArray();
    }

    private static IEnumerable<(int[] Inputs, int[] Targets, int Size)> Batches(ReadOnlySpan<int> text, int[] starts, int steps, int batchSize)
    {
        // Materialized so the span need not outlive an iterator.
        var batches = new List<(int[], int[], int)>();
        for (int first = 0; first < starts.Length; first += batchSize)
        {
            int size = Math.Min(batchSize, starts.Length - first);
            var inputs = new int[size * steps];
            var targets = new int[size * steps];
            for (int k = 0; k < size; k++)
            {
                text.Slice(starts[first + k], steps).CopyTo(inputs.AsSpan(k * steps));
                text.Slice(starts[first + k] + 1, steps).CopyTo(targets.AsSpan(k * steps));
            }
            batches.Add((inputs, targets, size));
        }
        return batches;
    }
}
