using System;
using System.Globalization;
using System.Linq;
using ModelC.Runtime.Classical;
using ModelC.Samples.Clustering;
using Spectre.Console;

// Usage: dotnet run --project samples/Clustering [-- --out picture.png|picture.svg]
string outputPath = "clustering.png";
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--out" && i + 1 < args.Length)
        outputPath = args[++i];
    else
    {
        Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: Clustering [--out picture.png|picture.svg]");
        return 1;
    }
}

const int seed = 2024;
var (points, _) = ThreeClusterData.Generate(seed);
var kMeans = KMeans.Fit(points, clusters: 3, seed: seed);
var mixture = GaussianMixture.Fit(points, components: 3, seed: seed);
int[] kMeansMatch = ThreeClusterData.MatchToTrueCenters(kMeans.Centers);
int[] mixtureMatch = ThreeClusterData.MatchToTrueCenters(mixture.Means);

var centres = new Table().Title($"Recovered centres ({points.Length} points, seed {seed})")
    .AddColumns("Cluster", "True centre", "k-means centre", "Mixture mean", "Mixture weight");
for (int c = 0; c < 3; c++)
{
    var truth = ThreeClusterData.TrueCenters[c];
    centres.AddRow($"{c + 1}", Pair(truth[0], truth[1]),
        Pair(kMeans.Centers[kMeansMatch[c]][0], kMeans.Centers[kMeansMatch[c]][1]),
        Pair(mixture.Means[mixtureMatch[c]][0], mixture.Means[mixtureMatch[c]][1]),
        F(mixture.Weights[mixtureMatch[c]], "F3"));
}
AnsiConsole.Write(centres);
AnsiConsole.MarkupLine($"k-means inertia {F(kMeans.Inertia, "F1")} after {kMeans.Iterations} iterations; " +
    $"mixture log-likelihood {F(mixture.LogLikelihood, "F1")} ({(mixture.Converged ? "converged" : "not converged")} in {mixture.Iterations} EM steps).");

var bic = new Table().Title("Mixture BIC (lower is better)").AddColumns("Components", "BIC");
var bics = Enumerable.Range(1, 5).Select(k => (k, GaussianMixture.Fit(points, k, seed: seed).Bic(points))).ToArray();
double lowest = bics.Min(b => b.Item2);
foreach (var (k, value) in bics)
    bic.AddRow($"{k}", value == lowest ? $"[green]{F(value, "F1")} ← best[/]" : F(value, "F1"));
AnsiConsole.Write(bic);

// Kernel density of the first feature against a histogram of the same values.
var feature = points.Select(p => p[0]).ToArray();
var kde = KernelDensity.Fit(feature, BandwidthRule.Silverman);
const int bins = 16;
double low = feature.Min(), width = (feature.Max() - low) / bins;
var counts = new int[bins];
foreach (double v in feature)
    counts[Math.Min((int)((v - low) / width), bins - 1)]++;
var binCentres = Enumerable.Range(0, bins).Select(b => low + (b + 0.5) * width).ToArray();
var density = kde.Density(binCentres);
double tallest = Math.Max(counts.Max() / (feature.Length * width), density.Max());

var histogram = new Table().Title($"Feature x: histogram vs kernel density (Silverman bandwidth {F(kde.Bandwidth, "F3")})")
    .AddColumns("Bin", "Histogram", "KDE", "[blue]histogram[/] / [yellow]KDE[/]");
for (int b = 0; b < bins; b++)
{
    double histogramDensity = counts[b] / (feature.Length * width);
    histogram.AddRow($"[[{F(low + b * width, "F2")}, {F(low + (b + 1) * width, "F2")})",
        F(histogramDensity, "F3"), F(density[b], "F3"),
        $"[blue]{Bar(histogramDensity / tallest)}[/]\n[yellow]{Bar(density[b] / tallest)}[/]");
}
AnsiConsole.Write(histogram);

string picture = ClusteringPicture.Save(points, mixture, kMeans, ThreeClusterData.TrueCenters, kde, feature, outputPath);
AnsiConsole.MarkupLine($"Clusters, ellipses and the density drawn in [bold]{Markup.Escape(picture)}[/].");
return 0;

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

static string Pair(double x, double y) => $"({F(x, "F2")}, {F(y, "F2")})";

static string Bar(double fraction) => new string('█', (int)Math.Round(fraction * 30));
