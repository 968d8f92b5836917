using System;
using ModelC.Runtime.Training;
using Xunit;

namespace ModelC.Tests.Runtime.Training;

public class MetricsTests
{
    [Fact]
    public void Confusion_matrix_counts_arg_max_predictions_and_reads_off_precision_and_recall()
    {
        var matrix = new ConfusionMatrix(3);
        // Scores per example; arg-max picks 0, 1, 1, 2, 0 against labels 0, 1, 2, 2, 1.
        float[] scores =
        [
            5, 1, 0,
            0, 3, 1,
            0, 2, 1,
            1, 0, 4,
            2, 2, 0, // a tie goes to the first class, as torch.argmax
        ];
        matrix.AddScores(scores, [0, 1, 2, 2, 1]);

        Assert.Equal(5, matrix.Total);
        Assert.Equal(0.6, matrix.Accuracy, 12);
        Assert.Equal(1, matrix[2, 1]);
        Assert.Equal(1, matrix[1, 0]);
        Assert.Equal(0.5, matrix.Recall(2), 12);
        Assert.Equal(0.5, matrix.Precision(1), 12);
        Assert.Equal(0.5, matrix.Precision(0), 12);
        Assert.Equal(1.0, matrix.Precision(2), 12);
    }

    [Fact]
    public void Confusion_matrix_rejects_a_label_outside_its_classes()
    {
        var matrix = new ConfusionMatrix(2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(2, 0));
        Assert.Equal("actual", error.ParamName);
    }

    [Fact]
    public void Regression_metrics_match_hand_computed_values()
    {
        var metrics = new RegressionMetrics();
        metrics.Add([1, 2], [1, 3]);
        metrics.Add([5], [4]);

        // Errors 0, -1, 1: MSE 2/3. Targets 1, 3, 4 have mean 8/3 and SST 14/3, so R² = 1 - 2/(14/3) = 4/7.
        Assert.Equal(2.0 / 3, metrics.MeanSquaredError, 12);
        Assert.Equal(4.0 / 7, metrics.RSquared, 12);
    }

    [Fact]
    public void R_squared_is_undefined_for_constant_targets()
    {
        var metrics = new RegressionMetrics();
        metrics.Add([1, 2], [3, 3]);
        Assert.True(double.IsNaN(metrics.RSquared));
    }
}
