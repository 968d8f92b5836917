using System;
using System.Globalization;
using System.Text;

namespace ModelC.Runtime.Training;

/// <summary>
/// Counts of (actual class, predicted class) pairs, with the accuracy, per-class precision and
/// recall read off them. Rows are actual classes, columns predicted ones, as in scikit-learn.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;

    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Classes = classes;
        counts = new long[checked(classes * classes)];
    }

    /// <summary>The number of classes N; classes are 0..N-1.</summary>
    public int Classes { get; }

    /// <summary>The number of predictions counted.</summary>
    public long Total { get; private set; }

    /// <summary>How often class <paramref name="actual"/> was predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[(CheckClass(actual, nameof(actual)) * Classes) + CheckClass(predicted, nameof(predicted))];

    /// <summary>The fraction of predictions that were right; 0 when nothing was counted.</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (int c = 0; c < Classes; c++)
            {
                correct += counts[(c * Classes) + c];
            }

            return Total == 0 ? 0 : (double)correct / Total;
        }
    }

    /// <summary>Counts one prediction.</summary>
    public void Add(int actual, int predicted)
    {
        counts[(CheckClass(actual, nameof(actual)) * Classes) + CheckClass(predicted, nameof(predicted))]++;
        Total++;
    }

    /// <summary>Counts the arg-max of each row of <paramref name="scores"/> (N per example) against <paramref name="labels"/>.</summary>
    public void AddScores(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels)
    {
        if (scores.Length != labels.Length * Classes)
        {
            throw new ArgumentException(
                $"The scores have {scores.Length} values but {labels.Length} labels of {Classes} classes need {labels.Length * Classes}.",
                nameof(scores));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            Add(labels[i], ArgMax(scores.Slice(i * Classes, Classes)));
        }
    }

    /// <summary>Of the examples of class <paramref name="c"/>, the fraction predicted as c (NaN if there were none).</summary>
    public double Recall(int c)
    {
        CheckClass(c, nameof(c));
        long actual = 0;
        for (int p = 0; p < Classes; p++)
        {
            actual += counts[(c * Classes) + p];
        }

        return actual == 0 ? double.NaN : (double)counts[(c * Classes) + c] / actual;
    }

    /// <summary>Of the predictions of class <paramref name="c"/>, the fraction that were right (NaN if there were none).</summary>
    public double Precision(int c)
    {
        CheckClass(c, nameof(c));
        long predicted = 0;
        for (int a = 0; a < Classes; a++)
        {
            predicted += counts[(a * Classes) + c];
        }

        return predicted == 0 ? double.NaN : (double)counts[(c * Classes) + c] / predicted;
    }

    /// <summary>The index of the largest value; the first one on ties, as torch.argmax.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The counts as a grid, actual classes down, predicted across.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (int a = 0; a < Classes; a++)
        {
            for (int p = 0; p < Classes; p++)
            {
                text.Append(counts[(a * Classes) + p].ToString(CultureInfo.InvariantCulture).PadLeft(7));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private int CheckClass(int c, string argument)
    {
        if ((uint)c >= (uint)Classes)
        {
            throw new ArgumentOutOfRangeException(argument, c, $"Classes are 0..{Classes - 1}.");
        }

        return c;
    }
}
