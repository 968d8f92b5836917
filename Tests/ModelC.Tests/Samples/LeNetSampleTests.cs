using System;
using System.IO;
using ModelC.Runtime;
using ModelC.Runtime.Weights;
using ModelC.Samples.FashionMlp;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class LeNetSampleTests
    {
        private static string ShippedData => Path.Combine(SampleModels.RepositoryPath("samples"), "FashionMlp", "data");

        [Fact]
        public void LeNet_has_the_parameters_of_LeNet_5()
        {
            IModel model = SampleModels.Create("LeNet/lenet.model", seed: 0);

            Assert.Equal(61_706, model.ParameterCount);
            Assert.Equal(new[] { 6, 1, 5, 5 }, model.ParameterInfos[0].Shape);
            Assert.Equal(new[] { 120, 400 }, model.ParameterInfos[4].Shape);
        }

        [Fact]
        public void Two_epochs_on_the_subset_learn_the_classes_and_the_saved_weights_reload()
        {
            var (train, test) = FashionData.Load(ShippedData);
            IModel model = SampleModels.Create("LeNet/lenet.model", seed: 0);
            string weights = Path.Combine(Path.GetTempPath(), $"lenet-{Guid.NewGuid():N}.safetensors");
            try
            {
                FashionResult result = FashionRun.Run(model, train, test, new FashionSettings(Epochs: 2, WeightsPath: weights));

                // Chance is 10 %; two epochs on 4,500 images reach about 75 % validation accuracy.
                Assert.True(result.Test.Accuracy >= 0.6, $"test accuracy {result.Test.Accuracy}");
                Assert.True(result.History.Epochs[1].TrainLoss < result.History.Epochs[0].TrainLoss);

                IModel reloaded = SampleModels.Create("LeNet/lenet.model", seed: 1);
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
