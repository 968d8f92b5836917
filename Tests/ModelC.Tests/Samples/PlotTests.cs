using System;
using System.IO;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Classical;
using ModelC.Runtime.Training;
using ModelC.Samples.Clustering;
using ModelC.Samples.FashionMlp;
using ModelC.Tests.Cli;
using Xunit;

namespace ModelC.Tests.Samples
{
    /// <summary>The training curves, the confusion matrix and the clustering panels are written as real pictures.</summary>
    public sealed class PlotTests
    {
        private static FashionResult Result(bool stoppedEarly)
        {
            var confusion = new ConfusionMatrix(10);
            var random = new ModelRandom(2);
            for (int i = 0; i < 1000; i++)
            {
                int actual = i % 10;
                confusion.Add(actual, random.NextFloat() < 0.8f ? actual : random.NextInt(10));
            }

            var epochs = Enumerable.Range(1, 8).Select(e => new EpochResult(
                e, 1.0 / e, new Evaluation(500, 1.1 / e + (0.02 * e), confusion, null), 1e-3f, TimeSpan.FromSeconds(1), 4000)).ToArray();
            var history = new TrainingHistory(epochs, stoppedEarly ? 5 : 8, 0.3, "val_loss", stoppedEarly, TimeSpan.FromSeconds(8));
            return new FashionResult(history, new Evaluation(1000, 0.5, confusion, null), TimeSpan.FromSeconds(8), 4500, 500);
        }

        [Theory]
        [InlineData(".png")]
        [InlineData(".svg")]
        public void Training_curves_and_the_confusion_matrix_are_drawn_with_axes_and_legends(string extension)
        {
            using var folder = new TempDirectory();
            string name = Path.Combine(folder.Path, "fashion");

            var (curves, confusion) = FashionPictures.Save(Result(stoppedEarly: true), "FashionMlp", name, extension);

            Assert.Equal(name + "-curves" + extension, curves);
            Pictures.AssertDrawn(curves, FashionPictures.CurvesWidth, FashionPictures.CurvesHeight,
                "training loss", "validation loss", "validation accuracy (%)", "weights kept (epoch 5)", "epoch");
            Pictures.AssertDrawn(confusion, FashionPictures.ConfusionWidth, FashionPictures.ConfusionHeight,
                "Ankle boot", "T-shirt/top", "predicted class");
        }

        [Fact]
        public void Clusters_with_ellipses_and_the_density_curve_are_drawn()
        {
            var (points, _) = ThreeClusterData.Generate(2024);
            var mixture = GaussianMixture.Fit(points, components: 3, seed: 2024);
            var kMeans = KMeans.Fit(points, clusters: 3, seed: 2024);
            double[] feature = points.Select(p => p[0]).ToArray();
            var kde = KernelDensity.Fit(feature, BandwidthRule.Silverman);
            using var folder = new TempDirectory();

            string png = ClusteringPicture.Save(points, mixture, kMeans, ThreeClusterData.TrueCenters, kde, feature, Path.Combine(folder.Path, "c.png"));
            string svg = ClusteringPicture.Save(points, mixture, kMeans, ThreeClusterData.TrueCenters, kde, feature, Path.Combine(folder.Path, "c.svg"));

            Pictures.AssertDrawn(png, ClusteringPicture.Width, ClusteringPicture.Height);
            Pictures.AssertDrawn(svg, ClusteringPicture.Width, ClusteringPicture.Height, "kernel density", "k-means centre", "component 3");
        }

        [Fact]
        public void A_covariances_ellipse_axes_are_its_eigenvalues_square_roots()
        {
            // [[4, 0], [0, 1]]: half-axes 2 and 1 along x; [[2, 1], [1, 2]]: eigenvalues 3 and 1 along the diagonal.
            var (a, b, angle) = ClusteringPicture.Axes([[4.0, 0.0], [0.0, 1.0]]);
            Assert.Equal((2, 1, 0), (a, b, angle));
            (a, b, angle) = ClusteringPicture.Axes([[2.0, 1.0], [1.0, 2.0]]);
            Assert.Equal(Math.Sqrt(3), a, 12);
            Assert.Equal(1, b, 12);
            Assert.Equal(Math.PI / 4, angle, 12);
        }
    }
}
