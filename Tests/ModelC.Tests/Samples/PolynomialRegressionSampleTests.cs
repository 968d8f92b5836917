using System.Linq;
using ModelC.Samples.PolynomialRegression;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class PolynomialRegressionSampleTests
    {
        private const int Seed = 4;

        private static readonly PolynomialSweep Sweep = PolynomialDemo.Run(
            degree => SampleModels.Create("PolynomialRegression/polynomials.model", Seed, $"PolyDeg{degree}"),
            PolynomialData.Generate(Seed));

        [Fact]
        public void Validation_picks_a_middle_degree()
        {
            Assert.InRange(Sweep.BestDegree, 3, 8);
            Assert.Equal(Sweep.Degrees.Min(r => r.ValidationMse), Sweep.Degrees.Single(r => r.Degree == Sweep.BestDegree).ValidationMse);
        }

        [Fact]
        public void A_straight_line_underfits()
        {
            var line = Sweep.Degrees[0];
            var best = Sweep.Degrees.Single(r => r.Degree == Sweep.BestDegree);

            Assert.True(line.TrainingMse > 2.5 * best.TrainingMse, $"degree 1 train {line.TrainingMse} vs best {best.TrainingMse}");
            Assert.True(line.ValidationMse > 2.5 * best.ValidationMse, $"degree 1 validation {line.ValidationMse} vs best {best.ValidationMse}");
        }

        [Fact]
        public void Degree_twelve_overfits_lower_training_error_higher_validation_error()
        {
            var twelve = Sweep.Degrees.Single(r => r.Degree == 12);
            var best = Sweep.Degrees.Single(r => r.Degree == Sweep.BestDegree);

            Assert.True(twelve.TrainingMse < best.TrainingMse);
            Assert.True(twelve.ValidationMse > 1.5 * best.ValidationMse, $"degree 12 validation {twelve.ValidationMse} vs best {best.ValidationMse}");
            // The exact least-squares fit, which training approaches, overfits even more.
            Assert.True(twelve.ExactValidationMse > twelve.ValidationMse);
        }

        [Fact]
        public void Low_degrees_train_to_the_least_squares_optimum()
        {
            foreach (var row in Sweep.Degrees.Where(r => r.Degree <= 5))
                Assert.Equal(row.ExactTrainingMse, row.TrainingMse, 3);
        }

        [Fact]
        public void The_chosen_degree_generalizes_to_the_test_set()
        {
            // The noise variance 0.09 is the floor; a good cubic-like fit lands near it.
            Assert.InRange(Sweep.BestDegreeTestMse, 0.09 * 0.5, 0.09 * 2);
        }
    }
}
