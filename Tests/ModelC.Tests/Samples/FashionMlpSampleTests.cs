using System;
using System.IO;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Weights;
using ModelC.Samples.FashionMlp;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class FashionMlpSampleTests
    {
        private static string ShippedData => Path.Combine(SampleModels.RepositoryPath("samples"), "FashionMlp", "data");

        [Fact]
        public void The_shipped_subset_holds_500_training_and_100_test_images_per_class()
        {
            var (train, test) = FashionData.Load(ShippedData);

            Assert.Equal(5000, train.Count);
            Assert.Equal(1000, test.Count);
            Assert.Equal(new[] { 784 }, train["x"].Shape);
            Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(500, train["y"].Ints.ToArray().Count(y => y == c)));
            Assert.InRange(train["x"].Floats.ToArray().Max(), 0.99f, 1f);
        }

        [Fact]
        public void A_missing_file_is_named()
        {
            var error = Assert.Throws<FileNotFoundException>(() => FashionData.Load(Path.GetTempPath()));
            Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
        }

        [Fact]
        public void Two_epochs_on_the_subset_learn_the_classes_and_the_saved_weights_reload()
        {
            var (train, test) = FashionData.Load(ShippedData);
            IModel model = SampleModels.Create("FashionMlp/fashion.model", seed: 0);
            string weights = Path.Combine(Path.GetTempPath(), $"fashion-{Guid.NewGuid():N}.safetensors");
            try
            {
                FashionResult result = FashionRun.Run(model, train, test, new FashionSettings(Epochs: 2, WeightsPath: weights));

                // Ten classes: chance is 10 %. Two epochs (the first a learning-rate warm-up) on 4,500
                // images reach about 75 %; 65 % leaves room for seeds yet fails any broken step.
                Assert.Equal((4500, 500), (result.TrainExamples, result.ValidationExamples));
                Assert.True(result.Test.Accuracy >= 0.65, $"test accuracy {result.Test.Accuracy}");
                Assert.True(result.History.Epochs[1].TrainLoss < result.History.Epochs[0].TrainLoss);

                IModel reloaded = SampleModels.Create("FashionMlp/fashion.model", seed: 1);
                ModelWeights.Load(reloaded, weights);
                Assert.Equal(model.Parameters.ToArray(), reloaded.Parameters.ToArray());
            }
            finally
            {
                File.Delete(weights);
            }
        }
    }
}
