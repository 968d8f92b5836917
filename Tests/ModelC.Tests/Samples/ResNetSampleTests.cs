using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ModelC.Runtime;
using ModelC.Runtime.Weights;
using ModelC.Samples.FashionMlp;
using Xunit;

namespace ModelC.Tests.Samples
{
    public sealed class ResNetSampleTests
    {
        private const string ModelPath = "ResNet/resnet.model";

        private static string ShippedData => Path.Combine(SampleModels.RepositoryPath("samples"), "FashionMlp", "data");

        [Fact]
        public void The_printed_summary_lists_the_blocks_with_their_shapes_and_the_parameter_total()
        {
            IModel model = SampleModels.Create(ModelPath, seed: 0);
            string summary = (string)model.GetType().GetField("Summary")!.GetValue(null)!;

            Assert.Matches(@"x \(input\)\s+\[784\]\s+0\n", summary);
            Assert.Matches(@"stem \(conv2d\)\s+\[16, 28, 28\]\s+144\n", summary);          // 16·1·3·3, no bias
            Assert.Matches(@"bn0 \(batchnorm\)\s+\[16, 28, 28\]\s+64\n", summary);         // weight, bias, running_mean, running_var of 16
            Assert.Matches(@"pool0 \(maxpool2d\)\s+\[16, 14, 14\]\s+0\n", summary);
            Assert.Matches(@"res1 \(ResBlock\)\s+\[16, 14, 14\]\s+4,736\n", summary);      // 2·16·16·9 + 2 batchnorms of 4·16
            Assert.Matches(@"down \(conv2d\)\s+\[32, 7, 7\]\s+4,608\n", summary);          // 32·16·9
            Assert.Matches(@"res2 \(ResBlock\)\s+\[32, 7, 7\]\s+18,688\n", summary);       // 2·32·32·9 + 2 batchnorms of 4·32
            Assert.Matches(@"fc \(dense\)\s+\[10\]\s+15,690\n", summary);                  // 32·7·7·10 + 10
            // Trainable: 144 + 32 + 4,608 + 4,608 + 64 + 18,432 + 128 + 15,690; the running statistics
            // (2·16 + 2·2·16 + 2·32 + 2·2·32 = 288) are buffers, counted as Keras counts them.
            Assert.Contains("Total parameters: 44,058\nTrainable parameters: 43,770\nNon-trainable parameters: 288 (batchnorm running statistics)\n", summary);
            Assert.Equal(43_770, model.ParameterCount);
            Assert.Equal(288, model.Buffers.Length);
            long rowTotal = Regex.Matches(summary, @"\)\s+\[[^\]]*\]\s+([\d,]+)\n").Sum(m => long.Parse(m.Groups[1].Value.Replace(",", "")));
            Assert.Equal(model.ParameterCount + model.Buffers.Length, rowTotal);
        }

        [Fact]
        public void Two_epochs_on_the_subset_learn_the_classes_and_the_saved_weights_and_statistics_reload()
        {
            var (train, test) = FashionData.Load(ShippedData);
            IModel model = SampleModels.Create(ModelPath, seed: 0);
            string weights = Path.Combine(Path.GetTempPath(), $"resnet-{Guid.NewGuid():N}.safetensors");
            try
            {
                FashionResult result = FashionRun.Run(model, train, test, new FashionSettings(Epochs: 2, WeightsPath: weights));

                // Chance is 10 %; two epochs on 4,500 images reach 85.0 % on the 1,000 test images.
                Assert.True(result.Test.Accuracy >= 0.8, $"test accuracy {result.Test.Accuracy}");
                Assert.True(result.History.Epochs[1].TrainLoss < result.History.Epochs[0].TrainLoss);

                // Inference uses batchnorm's running statistics, so they must travel with the weights.
                IModel reloaded = SampleModels.Create(ModelPath, seed: 1);
                ModelWeights.Load(reloaded, weights);
                Assert.Equal(model.Parameters.ToArray(), reloaded.Parameters.ToArray());
                Assert.Equal(model.Buffers.ToArray(), reloaded.Buffers.ToArray());
                Assert.NotEqual(new float[model.Buffers.Length], model.Buffers.ToArray());
            }
            finally
            {
                File.Delete(weights);
            }
        }
    }
}
