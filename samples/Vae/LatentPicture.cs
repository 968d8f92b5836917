using ModelC.Samples.FashionMlp;
using ModelC.Samples.Plots;
using ScottPlot;

namespace ModelC.Samples.Vae;

/// <summary>Two maps of the same test images side by side, one colour per class: the model's 2-D codes and PCA's projection.</summary>
public static class LatentPicture
{
    public const int Width = 1300, Height = 600;

    /// <summary>Writes both maps to <paramref name="path"/> (.png or .svg); returns the full path.</summary>
    public static string Save(double[][] latent, double[][] pca, int[] labels, string latentTitle, string pcaTitle, string path)
    {
        Plot codes = ClassScatterPlot.Create(latent, labels, FashionData.ClassNames, latentTitle, "code 1", "code 2", legend: false);
        Plot projection = ClassScatterPlot.Create(pca, labels, FashionData.ClassNames, pcaTitle, "principal component 1", "principal component 2");
        return PlotFiles.Save(PlotFiles.SideBySide(codes, projection), path, Width, Height);
    }
}
