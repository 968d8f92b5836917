namespace ModelC.Runtime.Training;

/// <summary>
/// A model's scores on a dataset in inference mode: the mean loss over its examples, and the
/// metrics that fit its prediction output (a confusion matrix for an <c>int&lt;N&gt;</c> target,
/// MSE and R² for a float one).
/// </summary>
public sealed record Evaluation(long Examples, double Loss, ConfusionMatrix? Confusion, RegressionMetrics? Regression)
{
    /// <summary>The fraction of correct arg-max predictions, for a classification target.</summary>
    public double? Accuracy => Confusion?.Accuracy;

    /// <summary>The mean squared error, for a float target.</summary>
    public double? MeanSquaredError => Regression?.MeanSquaredError;

    /// <summary>The coefficient of determination, for a float target.</summary>
    public double? RSquared => Regression?.RSquared;
}
