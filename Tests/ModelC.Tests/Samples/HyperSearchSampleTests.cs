using System.Linq;
using ModelC.Runtime.Classical;
using ModelC.Samples.HyperSearch;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class HyperSearchSampleTests
    {
        private static CrossValidation Validation(int seed, int epochs) => new(
            MoonsData.Generate(300, noise: 0.2, seed), k: 3, seed, epochs,
            (width, modelSeed) => SampleModels.Create("HyperSearch/moons.model", modelSeed, $"Moons{width}"));

        [Fact]
        public void Cross_validation_tells_a_good_configuration_from_a_starved_one()
        {
            CrossValidation validation = Validation(seed: 0, epochs: 20);

            CrossValidationScore good = validation.Score(width: 32, learningRate: 0.03f);
            CrossValidationScore starved = validation.Score(width: 2, learningRate: 0.0002f);

            // Two moons with noise 0.2 are about 97 % separable; a tiny net with a tiny step stays near a coin toss.
            Assert.InRange(good.Accuracy, 0.93, 1.0);
            Assert.InRange(good.Loss, 0.0, 0.2);
            Assert.InRange(starved.Accuracy, 0.4, 0.75);
            Assert.InRange(starved.Loss, 0.6, 0.8);
        }

        [Fact]
        public void The_Gaussian_process_search_beats_random_search_with_the_same_budget()
        {
            HyperSearchResult result = HyperSearchRun.Run(Validation(seed: 0, epochs: 20), budget: 12, initialPoints: 4, seed: 0);

            Assert.Equal(12, result.Bayesian.Count);
            Assert.Equal(12, result.Random.Count);
            // Both searches draw the same first four configurations.
            Assert.Equal(result.Random.Take(4).Select(c => (c.Width, c.LearningRate)), result.Bayesian.Take(4).Select(c => (c.Width, c.LearningRate)));
            Assert.All(result.Bayesian.Skip(4), c => Assert.Equal(EvaluationSource.ExpectedImprovement, c.Source));
            Assert.True(result.BestBayesian.Score.Loss < result.BestRandom.Score.Loss,
                $"GP best {result.BestBayesian.Score.Loss} vs random best {result.BestRandom.Score.Loss}");
            Assert.True(result.BestBayesian.Index >= 4, "the improvement comes from an expected-improvement step");
        }
    }
}
