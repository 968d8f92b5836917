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
        internal const string Classifier = """
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
        internal static string BlobsCsv(int count, int seed)
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

        /// <summary>Income around 40,000 (std 10,000) and a share in [0, 1]; the label says whether income is above 40,000.</summary>
        private static string IncomesCsv(int count, int seed)
        {
            var random = new ModelRandom(seed);
            var text = new StringBuilder("income,share,label\n");
            for (int i = 0; i < count; i++)
            {
                float income = 40_000 + (10_000 * random.NextNormal());
                text.Append(string.Create(CultureInfo.InvariantCulture, $"{income},{random.NextFloat()},{(income > 40_000 ? 1 : 0)}\n"));
            }

            return text.ToString();
        }

        private static double TestAccuracy(string output)
        {
            var accuracy = Regex.Match(output, @"test: loss [0-9.]+, accuracy ([0-9.]+) %");
            Assert.True(accuracy.Success, output);
            return double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        [Fact]
        public void Standardize_fits_the_training_split_saves_the_scaler_with_the_weights_and_learns_raw_incomes()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("incomes.model", Classifier);
            string train = folder.Write("train.csv", IncomesCsv(400, 1));
            string test = folder.Write("test.csv", IncomesCsv(200, 2));
            string weights = Path.Combine(folder.Path, "incomes.safetensors");
            var output = new StringWriter();
            var error = new StringWriter();

            int exitCode = TrainCommand.Run(
                new TrainRequest(model, train, test, Target: "label", Features: ["income", "share"], Weights: weights, Validation: 0.25f, Standardize: true),
                output, error);

            Assert.Equal(ExitCodes.Success, exitCode);
            Assert.Equal("", error.ToString());
            Assert.Contains("standardized 2 feature(s) with the mean and standard deviation of the 300 training examples", output.ToString());
            // A threshold on one standardized feature: a small network finds it (measured 99 %).
            Assert.InRange(TestAccuracy(output.ToString()), 95.0, 100.0);
            WeightsMetadata saved = ModelWeights.ReadMetadata(weights);
            Assert.Equal("features", saved.Standardizer!.ColumnName);
            Assert.InRange(saved.Standardizer.Mean[0], 38_000f, 42_000f);
            Assert.InRange(saved.Standardizer.StandardDeviation[0], 8_500f, 11_500f);
            Assert.InRange(saved.Standardizer.Mean[1], 0.4f, 0.6f);
        }

        [Fact]
        public void Raw_features_a_hundred_times_apart_in_scale_get_a_warning_that_names_the_option()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("incomes.model", Classifier);
            string train = folder.Write("train.csv", IncomesCsv(200, 1));
            var error = new StringWriter();

            int exitCode = TrainCommand.Run(
                new TrainRequest(model, train, Target: "label", Features: ["income", "share"], Weights: Path.Combine(folder.Path, "w.safetensors")),
                new StringWriter(), error);

            Assert.Equal(ExitCodes.Success, exitCode);
            Assert.Matches(@"^modelc: warning: the features' scales differ by [0-9,]+x \(standard deviation [0-9.e+]+ of feature 0 against [0-9.e+-]+ of feature 1\); training may crawl or stall: add --standardize", error.ToString());
            Assert.Null(ModelWeights.ReadMetadata(Path.Combine(folder.Path, "w.safetensors")).Standardizer);
        }

        [Fact]
        public void Plot_draws_the_training_curves_and_redirected_progress_is_plain_epoch_lines()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("blobs.model", Classifier);
            string train = folder.Write("train.csv", BlobsCsv(200, 1));
            string picture = Path.Combine(folder.Path, "curves.png");
            var output = new StringWriter();

            int exitCode = TrainCommand.Run(
                new TrainRequest(model, train, Target: "label", Features: ["a", "b"], Weights: Path.Combine(folder.Path, "w.safetensors"), Validation: 0.2f, Plot: picture),
                output, new StringWriter(), interactive: false);

            Assert.Equal(ExitCodes.Success, exitCode);
            Assert.Contains("training curves drawn in " + picture, output.ToString());
            Samples.Pictures.AssertDrawn(picture, 800, 500);
            string[] epochLines = output.ToString().Split('\n').Where(line => line.StartsWith("epoch ")).ToArray();
            Assert.Equal(8, epochLines.Length);
            Assert.All(epochLines, line => Assert.Matches(@"^epoch [1-8]/8: loss [0-9.]+, val_loss [0-9.]+, val_accuracy [0-9.]+ %, [0-9.]+ s, [0-9,]+ samples/s\r?$", line));
            Assert.DoesNotContain('\r', output.ToString().Replace("\r\n", "\n"));
            Assert.DoesNotContain('\u001b', output.ToString());
        }

        [Fact]
        public void A_plot_file_that_is_neither_png_nor_svg_is_refused_before_training()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("blobs.model", Classifier);
            string train = folder.Write("train.csv", BlobsCsv(20, 1));
            var output = new StringWriter();
            var error = new StringWriter();

            int exitCode = TrainCommand.Run(new TrainRequest(model, train, Target: "label", Plot: "curves.jpg"), output, error);

            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains("--plot curves.jpg: the training curves are drawn as .png or .svg", error.ToString());
            Assert.Equal("", output.ToString());
        }
    }
}
