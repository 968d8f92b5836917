using ModelC.Samples.Plots;
using ScottPlot;

namespace ModelC.Samples.FashionMlp;

/// <summary>The main job's pictures: training curves from the Trainer's history and the test set's confusion matrix.</summary>
public static class FashionPictures
{
    public const int CurvesWidth = 800, CurvesHeight = 500;
    public const int ConfusionWidth = 800, ConfusionHeight = 700;

    /// <summary>Writes <c>NAME-curves.png</c> and <c>NAME-confusion.png</c> (or .svg) into the current folder; returns both full paths.</summary>
    public static (string Curves, string Confusion) Save(FashionResult result, string modelName, string name, string extension = ".png")
    {
        Plot curves = TrainingCurvesPlot.Create(result.History, $"{modelName} on Fashion-MNIST: training curves");
        Plot confusion = ConfusionMatrixPlot.Create(
            result.Test.Confusion!, FashionData.ClassNames,
            $"{modelName}: test confusion matrix ({100 * result.Test.Accuracy:F1} % correct)");
        return (
            PlotFiles.Save(curves, name + "-curves" + extension, CurvesWidth, CurvesHeight),
            PlotFiles.Save(confusion, name + "-confusion" + extension, ConfusionWidth, ConfusionHeight));
    }
}
