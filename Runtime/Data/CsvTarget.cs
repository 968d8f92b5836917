namespace ModelC.Runtime.Data;

/// <summary>How <see cref="CsvDataset"/> reads the target column.</summary>
public enum CsvTarget
{
    /// <summary>Integers >= 0, one class id per example (for <c>int&lt;N&gt;</c> targets).</summary>
    ClassId,

    /// <summary>A float per example, as a column of shape [1] (for regression).</summary>
    Float,
}
