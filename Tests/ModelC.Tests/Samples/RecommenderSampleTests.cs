using System.Linq;
using ModelC.Samples.Recommender;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class RecommenderSampleTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void Factorization_beats_the_item_mean_baseline_on_held_out_ratings(int seed)
        {
            var (training, test) = Ratings.Generate(seed);

            var run = RecommenderDemo.Run(SampleModels.Create("Recommender/recommender.model", seed), training, test, seed);

            // Measured: 0.511 (seed 1) and 0.513 (seed 2) against item means 0.949 and 0.960. The noise
            // and the rounding to whole stars alone leave about 0.42, so 0.6 is far from both ends.
            Assert.True(run.TestRmse < 0.6, $"held-out RMSE {run.TestRmse}");
            Assert.True(run.TestRmse < run.ItemMeanRmse - 0.3, $"held-out RMSE {run.TestRmse} vs item means {run.ItemMeanRmse}");
            Assert.True(run.ItemMeanRmse < run.GlobalMeanRmse);
            Assert.True(run.Epochs[^1].TrainingRmse < run.Epochs[0].TrainingRmse - 0.3);
        }

        [Fact]
        public void The_ratings_are_whole_stars_split_into_disjoint_training_and_held_out_entries()
        {
            var (training, test) = Ratings.Generate(3);

            Assert.All(training.Ratings.Concat(test.Ratings), r => Assert.True(r is 1 or 2 or 3 or 4 or 5));
            var seen = training.Users.Zip(training.Items).ToHashSet();
            Assert.DoesNotContain(test.Users.Zip(test.Items), seen.Contains);
            // A fifth of 60,000 entries observed, a fifth of those held out.
            Assert.InRange(training.Count + test.Count, 11_400, 12_600);
            Assert.InRange(test.Count / (double)(training.Count + test.Count), 0.18, 0.22);
        }

        [Fact]
        public void Item_means_fall_back_to_the_global_mean_for_unrated_items()
        {
            var training = new RatingSet(new[] { 0, 1, 2 }, new[] { 0, 0, 1 }, new[] { 4f, 2f, 5f });

            var means = RecommenderDemo.ItemMeans(training, fallback: 3.5);

            Assert.Equal(3.0, means[0]);
            Assert.Equal(5.0, means[1]);
            Assert.Equal(3.5, means[2]);
        }
    }
}
