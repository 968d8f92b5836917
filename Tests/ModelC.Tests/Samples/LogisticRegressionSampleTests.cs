using System;
using ModelC.Samples.LogisticRegression;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class LogisticRegressionSampleTests
    {
        [Fact]
        public void The_Bayes_optimal_accuracy_of_the_blobs_is_phi_of_half_the_mean_distance()
        {
            // ‖μ1 − μ0‖ = ‖(2.4, 1.2)‖ = 2.683, Φ(1.342) = 0.9102.
            Assert.Equal(0.9102, TwoBlobs.BayesAccuracy, 3);
            Assert.Equal((2.4, 1.2, -0.96), Rounded(TwoBlobs.BayesLogOdds));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Held_out_accuracy_is_close_to_the_Bayes_optimum(int seed)
        {
            var data = TwoBlobs.Generate(seed);

            var run = LogisticDemo.Run(SampleModels.Create("LogisticRegression/logistic.model", seed), data, seed);

            Assert.Equal(420, data.Training.Count);
            Assert.Equal(180, data.Test.Count);
            // Bayes accuracy is 0.910; with 180 test points one standard error is 0.021, so 0.85 is
            // about three below: a fair bar that a broken fit (≤ 0.5 to 0.8) cannot pass.
            Assert.True(run.TestAccuracy >= 0.85, $"test accuracy {run.TestAccuracy}");
            Assert.True(run.TestAccuracy >= run.BayesRuleTestAccuracy - 0.04, $"test accuracy {run.TestAccuracy} vs true rule {run.BayesRuleTestAccuracy}");
        }

        [Fact]
        public void The_learned_decision_boundary_points_the_way_of_the_true_one()
        {
            var run = LogisticDemo.Run(SampleModels.Create("LogisticRegression/logistic.model", 1), TwoBlobs.Generate(1), 1);

            var (w1, w2, _) = run.Coefficients;
            var (t1, t2, _) = TwoBlobs.BayesLogOdds;
            double cosine = (w1 * t1 + w2 * t2) / Math.Sqrt((w1 * w1 + w2 * w2) * (t1 * t1 + t2 * t2));
            Assert.True(cosine > Math.Cos(15 * Math.PI / 180), $"angle {Math.Acos(cosine) * 180 / Math.PI:F1}° between learned and true normals");
            Assert.InRange(Math.Sqrt(w1 * w1 + w2 * w2), 2.0, 4.0); // true ‖w‖ = 2.68: calibrated, not just aligned
        }

        [Fact]
        public void Probabilities_come_from_the_sigmoid_output()
        {
            var model = SampleModels.Create("LogisticRegression/logistic.model", 0);
            model.Parameters[0] = 1f;
            model.Parameters[1] = -2f;
            model.Parameters[2] = 0.5f;
            var split = new TwoBlobs.Split(new[] { 0f, 0f, 1f, 1f }, new[] { 1f, 0f });

            double[] probabilities = LogisticDemo.Probabilities(model, split);

            Assert.Equal(1 / (1 + Math.Exp(-0.5)), probabilities[0], 6);
            Assert.Equal(1 / (1 + Math.Exp(0.5)), probabilities[1], 6);
        }

        private static (double, double, double) Rounded((double A, double B, double C) value) =>
            (Math.Round(value.A, 6), Math.Round(value.B, 6), Math.Round(value.C, 6));
    }
}
