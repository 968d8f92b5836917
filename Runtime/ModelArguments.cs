using System;

namespace ModelC.Runtime;

/// <summary>
/// The argument checks every generated model makes, written once here instead of in each class.
/// Each throws an <see cref="ArgumentException"/> that names the argument and says what it needed.
/// </summary>
public static class ModelArguments
{
    /// <summary>The number of examples in an argument of <paramref name="length"/> values.</summary>
    public static int BatchSize(int length, int exampleSize, string argument)
    {
        if (length == 0) throw new ArgumentException($"'{argument}' is empty; it must hold at least one example of {exampleSize} values", argument);
        if (length % exampleSize != 0) throw new ArgumentException($"'{argument}' has {length} values, which is not a whole number of examples of {exampleSize}", argument);
        return length / exampleSize;
    }

    public static void CheckLength(int length, int expected, string argument)
    {
        if (length != expected) throw new ArgumentException($"'{argument}' has {length} values but the batch needs {expected}", argument);
    }

    /// <summary>Every value is a class id in [0, classes).</summary>
    public static void CheckClasses(ReadOnlySpan<int> values, int classes, string argument)
    {
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= (uint)classes) throw new ArgumentException($"'{argument}[{i}]' is {values[i]}, outside [0, {classes})", argument);
    }

    /// <summary>Every value is a class id, or the padding label a loss ignores.</summary>
    public static void CheckClasses(ReadOnlySpan<int> values, int classes, string argument, int padding)
    {
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= (uint)classes && values[i] != padding)
                throw new ArgumentException($"'{argument}[{i}]' is {values[i]}, outside [0, {classes}) and not the ignored {padding}", argument);
    }

    /// <summary>
    /// Checks that a batch's arenas fit in arrays; computed in long, because a large batch of a large
    /// model leaves int's range long before it runs out of memory.
    /// </summary>
    public static void CheckArenaSize(int batch, int activationsPerExample, int integersPerExample, string argument)
    {
        long perExample = Math.Max(activationsPerExample, integersPerExample);
        if (perExample * batch <= Array.MaxLength) return;
        throw new ArgumentException(
            $"'{argument}' holds a batch of {batch} examples, which needs {perExample * batch} arena values ({perExample} per example); "
            + $"an array holds at most {Array.MaxLength}, so pass at most {Array.MaxLength / perExample} examples at a time", argument);
    }
}
