using System.IO;
using System.Linq;
using ModelC.Runtime.Data;
using ModelC.Samples.Dcgan;
using ModelC.Samples.FashionMlp;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class DcganSampleTests
    {
        private static (Dataset Train, Dataset Test) ShippedSubset() =>
            FashionData.Load(SampleModels.RepositoryPath(Path.Combine("samples", "FashionMlp", "data")));

        [Fact]
        public void The_generator_learns_images_the_judge_recognizes_through_the_discriminator()
        {
            var (train, test) = ShippedSubset();
            var generator = SampleModels.Create("Dcgan/dcgan.model", 1, "Generator");
            var discriminator = SampleModels.Create("Dcgan/dcgan.model", 2, "Discriminator");
            var judge = SampleModels.Create("Dcgan/dcgan.model", 3, "Judge");

            var run = DcganDemo.Run(generator, discriminator, judge, train, test, steps: 200, seed: 1, snapshotEvery: 50);

            // The game's path depends on the kernels' rounding, so on the instruction set: with seed 1 the
            // judge (82.2 % on the test images) puts every untrained image in one class (score 1.00). With
            // AVX-512 the score is 1.55 at step 200 with 4 classes above 2 %; with AVX2 only, it peaks at 1.47
            // at step 150 with 2 classes and then falls back as the generator collapses. The test asks for
            // what both show: a clearly better score than the untrained generator's at some snapshot.
            var best = run.Snapshots.Skip(1).OrderByDescending(s => s.Judged.Score).First();
            Assert.True(run.JudgeAccuracy > 0.78, $"judge accuracy {run.JudgeAccuracy}");
            Assert.True(run.Snapshots[0].Judged.Score < 1.05, $"untrained: score {run.Snapshots[0].Judged.Score}");
            Assert.True(best.Judged.Score > 1.3, $"best score {best.Judged.Score} at step {best.Step}");
            Assert.True(best.Judged.ClassesCovered >= 2, $"{best.Judged.ClassesCovered} classes covered at step {best.Step}");
        }

        [Fact]
        public void The_picture_tiles_sixty_four_images_per_panel()
        {
            var images = Enumerable.Range(0, DcganDemo.EvaluationImages * DcganDemo.Pixels).Select(i => (i % 29) / 28f).ToArray();
            var judged = new JudgeScore(new double[10], 3, 0.5, 2.5);
            var run = new DcganRun(new[] { new Snapshot(0, images, judged), new Snapshot(1500, images, judged) }, judged, 0.8);
            using var folder = new Cli.TempDirectory();

            string png = DcganPicture.Save(run, Path.Combine(folder.Path, "dcgan.png"));
            string svg = DcganPicture.Save(run, Path.Combine(folder.Path, "dcgan.svg"));

            double[,] tiles = DcganPicture.Tiles(images);
            Assert.Equal((224, 224), (tiles.GetLength(0), tiles.GetLength(1)));
            Assert.Equal(images[(28 * 28) + (5 * 28)], tiles[5, 28], 6);      // image 1, row 5, column 0
            Pictures.AssertDrawn(png, 2 * DcganPicture.PanelSize, DcganPicture.PanelSize + 40);
            Pictures.AssertDrawn(svg, 2 * DcganPicture.PanelSize, DcganPicture.PanelSize + 40, "step 0: score 2.50", "step 1500: score 2.50");
        }
    }
}
