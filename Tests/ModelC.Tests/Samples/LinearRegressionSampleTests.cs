using ModelC.Samples.LinearRegression;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class LinearRegressionSampleTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void Gradient_descent_agrees_with_the_closed_form_to_1e_3(int seed)
        {
            var data = LinearData.Generate(seed);

            var run = LinearRegressionDemo.Run(SampleModels.Create("LinearRegression/linear.model", seed), data);

            Assert.True(run.Converged);
            Assert.True(run.GradientDescent.MaxDifference(run.ClosedForm) < 1e-3,
                $"gradient descent {run.GradientDescent} vs closed form {run.ClosedForm}");
            Assert.Equal(run.ClosedFormMse, run.GradientDescentMse, 4);
        }

        [Fact]
        public void The_closed_form_recovers_the_generating_plane()
        {
            var data = LinearData.Generate(seed: 1);

            var run = LinearRegressionDemo.Run(SampleModels.Create("LinearRegression/linear.model", 1), data);

            // 400 points with noise 0.3 pin each coefficient to about ±0.03.
            Assert.Equal(3.0, run.ClosedForm.W1, 0.1);
            Assert.Equal(-2.0, run.ClosedForm.W2, 0.1);
            Assert.Equal(0.5, run.ClosedForm.B, 0.1);
            Assert.InRange(run.ClosedFormMse, 0.07, 0.11); // about σ² = 0.09
            Assert.True(run.History[0].Loss > 10 * run.ClosedFormMse, "the initial loss should be far above the optimum");
        }
    }
}
