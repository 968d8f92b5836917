using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using ModelC.Cli;
using ModelC.Runtime;
using ModelC.Runtime.Weights;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Cli
{
    public class TrainCommandTests
    {
        private const string Classifier = """
            model Blobs {
                input features : float[2];
                target label : int<2>;
                layer hidden = dense(8);
                layer out = dense(2);
                output logits = out(relu(hidden(features)));
                loss = cross_entropy(logits, label);
                train { optimizer = adam(lr: 0.05); batch = 16; epochs = 8; }
            }
            """;

        /// <summary>Two unit-variance blobs at (-2, 0) and (2, 0), with an unused column between the features.</summary>
        private static string BlobsCsv(int count, int seed)
        {
            var random = new ModelRandom(seed);
            var text = new StringBuilder("a,noise,b,label\n");
            for (int i = 0; i < count; i++)
            {
                int label = i % 2;
                float a = (label == 0 ? -2 : 2) + random.NextNormal();
                text.Append(string.Create(CultureInfo.InvariantCulture, $"{a},{random.NextFloat()},{random.NextNormal()},{label}\n"));
            }

            return text.ToString();
        }

        [Fact]
        public void Trains_a_model_from_csv_and_scores_the_test_file()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("blobs.model", Classifier);
            string train = folder.Write("train.csv", BlobsCsv(400, 1));
            string test = folder.Write("test.csv", BlobsCsv(200, 2));
            string weights = Path.Combine(folder.Path, "blobs.safetensors");
            var output = new StringWriter();
            var error = new StringWriter();

            int exitCode = TrainCommand.Run(
                new TrainRequest(model, train, test, Target: "label", Features: ["a", "b"], Weights: weights, Validation: 0.2f), output, error);

            Assert.Equal("", error.ToString());
            Assert.Equal(ExitCodes.Success, exitCode);
            Assert.Contains("epoch 8/8: loss", output.ToString());
            // Bayes-optimal accuracy is Φ(2) = 97.7 %.
            var accuracy = Regex.Match(output.ToString(), @"test: loss [0-9.]+, accuracy ([0-9.]+) %");
            Assert.True(accuracy.Success, output.ToString());
            Assert.InRange(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture), 94.0, 100.0);
            IModel reloaded = ModelHarness.Create(Classifier);
            ModelWeights.Load(reloaded, weights);
            Assert.Contains(reloaded.Parameters.ToArray(), p => p != 0);
        }

        [Fact]
        public void Too_few_feature_columns_name_the_input_and_the_file()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("blobs.model", Classifier);
            string train = folder.Write("train.csv", BlobsCsv(20, 1));
            var error = new StringWriter();

            int exitCode = TrainCommand.Run(new TrainRequest(model, train, Target: "label", Features: ["a"]), new StringWriter(), error);

            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains("Blobs's input features : float[2] takes 2 values per example, but " + train + " gives 1.", error.ToString());
        }

        [Fact]
        public void Early_stopping_without_validation_data_says_which_option_to_add()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("stop.model", Classifier.Replace("epochs = 8;", "epochs = 8; early_stopping(patience: 2);"));
            string train = folder.Write("train.csv", BlobsCsv(20, 1));
            var error = new StringWriter();

            int exitCode = TrainCommand.Run(new TrainRequest(model, train, Target: "label"), new StringWriter(), error);

            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains("add --validation 0.1", error.ToString());
        }

        [Fact]
        public void A_missing_data_file_is_named()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("blobs.model", Classifier);
            string missing = Path.Combine(folder.Path, "nope.csv");
            var error = new StringWriter();

            int exitCode = TrainCommand.Run(new TrainRequest(model, missing, Target: "label"), new StringWriter(), error);

            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains("nope.csv", error.ToString());
        }
    }
}
