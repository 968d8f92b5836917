using System;
using System.Globalization;
using System.IO;
using Spectre.Console;

namespace ModelC.Samples.Vae;

/// <summary>What the Vae and Autoencoder samples print and draw: the loss per epoch, the 5-NN table and the two maps.</summary>
public static class LatentReport
{
    /// <summary>The first <paramref name="count"/> images of the shipped subset's <paramref name="prefix"/> files (train or t10k).</summary>
    public static ImageSet Load(string prefix, int count) => ImageSet.Load(Path.Combine(AppContext.BaseDirectory, "data"), prefix, count);

    /// <param name="codes">What the model's 2-D map is called, e.g. "VAE latent means".</param>
    /// <param name="pictureFile">The picture to write in the current folder (.png or .svg).</param>
    public static void Print(VaeRun run, ImageSet test, string codes, string pictureFile)
    {
        AnsiConsole.Write(new Table().Title($"Classes kept apart in 2-D ({test.Count} test images, {VaeDemo.Neighbours}-nearest-neighbour vote)")
            .AddColumns("2-D map", "Accuracy")
            .AddRow("PCA, first two components", Percent(run.PcaKnnAccuracy))
            .AddRow($"[bold]{codes}[/]", $"[bold]{Percent(run.LatentKnnAccuracy)}[/]"));

        string path = LatentPicture.Save(run.LatentTest, run.PcaTest, test.Labels,
            $"{codes} ({Percent(run.LatentKnnAccuracy)} 5-NN)", $"PCA ({Percent(run.PcaKnnAccuracy)} 5-NN)", pictureFile);
        AnsiConsole.MarkupLine($"Both maps drawn in [link]{Markup.Escape(path)}[/].");
    }

    private static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
