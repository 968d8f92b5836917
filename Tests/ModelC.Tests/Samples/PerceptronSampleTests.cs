using System;
using ModelC.Runtime;
using ModelC.Samples.Perceptron;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class PerceptronSampleTests
    {
        private const string ModelPath = "Perceptron/perceptron.model";

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(7)]
        public void Converges_to_zero_training_errors_within_the_Novikoff_bound(int seed)
        {
            var data = SeparableData.Generate(seed, count: 200, margin: 0.05);

            var run = PerceptronDemo.Run(SampleModels.Create(ModelPath, seed), data);

            Assert.True(run.Converged);
            Assert.Equal(0, run.TrainingErrors);
            Assert.Equal(0, run.MistakesPerEpoch[^1]);
            Assert.InRange(run.Updates, 1, run.UpdateBound);
            Assert.Equal(run.Updates, SumOf(run.MistakesPerEpoch));
        }

        [Fact]
        public void Every_generated_point_lies_at_least_the_margin_from_the_true_line_on_its_labelled_side()
        {
            var data = SeparableData.Generate(seed: 5, count: 300, margin: 0.1);

            int positives = 0;
            for (int i = 0; i < data.Count; i++)
            {
                double distance = SeparableData.SignedDistance(data.Features[2 * i], data.Features[2 * i + 1]);
                Assert.True(data.Labels[i] * distance >= 0.1, $"point {i} is {distance:F4} from the line with label {data.Labels[i]}");
                Assert.InRange(data.Features[2 * i], -1f, 1f);
                Assert.InRange(data.Features[2 * i + 1], -1f, 1f);
                if (data.Labels[i] > 0)
                    positives++;
            }

            Assert.InRange(positives, 1, data.Count - 1);
        }

        [Fact]
        public void One_train_step_on_a_misclassified_example_is_the_perceptron_update()
        {
            IModel model = SampleModels.Create(ModelPath, seed: 0);
            model.Parameters[0] = 0.5f;  // w1
            model.Parameters[1] = -0.25f; // w2
            model.Parameters[2] = 0.125f; // b
            var x = new[] { 1.5f, 2f };
            var y = new[] { 1f };         // score 0.5·1.5 − 0.25·2 + 0.125 = 0.375 > 0 ...
            var misclassified = new[] { -1f }; // ... so label −1 is a mistake

            float correctLoss = model.TrainStep(new ModelData().Set("x", x).Set("y", y));
            Assert.Equal(0f, correctLoss);
            Assert.Equal(new[] { 0.5f, -0.25f, 0.125f }, model.Parameters.ToArray());

            float mistakeLoss = model.TrainStep(new ModelData().Set("x", x).Set("y", misclassified));
            Assert.Equal(0.375f, mistakeLoss, 6);
            // w += y·x, b += y with y = −1.
            Assert.Equal(new[] { 0.5f - 1.5f, -0.25f - 2f, 0.125f - 1f }, model.Parameters.ToArray());
        }

        [Fact]
        public void Rejects_a_model_without_the_expected_shape()
        {
            const string wrongInput = "model Wide { input x : float[3]; target y : float[1]; layer fc = dense(1); output score = fc(x); loss = perceptron(score, y); }";
            var error = Assert.Throws<ArgumentException>(() =>
                PerceptronDemo.Run(Compiler.ModelHarness.Create(wrongInput), SeparableData.Generate(1)));
            Assert.Contains("x : float[2]", error.Message);
        }

        private static int SumOf(System.Collections.Generic.IReadOnlyList<int> values)
        {
            int sum = 0;
            foreach (int v in values)
                sum += v;
            return sum;
        }
    }
}
