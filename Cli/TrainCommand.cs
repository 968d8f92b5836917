using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelC.Compiler;
using ModelC.InMemory;
using ModelC.Distributed;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Training;
using ModelC.Runtime.Weights;
using ModelC.Samples.Plots;

namespace ModelC.Cli
{
    /// <summary>What <c>modelc train</c> was asked to do.</summary>
    public sealed record TrainRequest(
        string File,
        string Data,
        string? Test = null,
        string? Model = null,
        string? Target = null,
        string[]? Features = null,
        int? Epochs = null,
        int? Batch = null,
        float? LearningRate = null,
        int Seed = 0,
        float? Validation = null,
        string? Weights = null,
        string? Log = null,
        bool Standardize = false,
        string? Plot = null);

    /// <summary>
    /// <c>modelc train FILE --data ...</c>: compiles a model in memory and trains it with the
    /// runtime's Trainer on a CSV file or a folder of IDX files, without a C# project. Under
    /// <c>mpiexec -n N</c> every rank trains a replica on its share of each batch; rank 0 prints and
    /// saves, and a rank that fails ends them all.
    /// </summary>
    public static class TrainCommand
    {
        /// <summary>Above this ratio of the widest to the narrowest feature spread, modelc suggests --standardize.</summary>
        public const double MaxScaleRatio = 100;
        private const int CurvesWidth = 800, CurvesHeight = 500;

        public static Command Create()
        {
            var file = new Argument<string>("file") { Description = "The .model file." };
            var data = new Option<string>("--data") { Description = "Training data: a CSV file with a header row, or a folder of IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]).", Required = true };
            var test = new Option<string?>("--test") { Description = "Test data to score after training (same form as --data; a folder's t10k-* files by default)." };
            var model = new Option<string?>("--model") { Description = "The model to train, when the file declares several." };
            var target = new Option<string?>("--target") { Description = "The CSV column holding the target (default: the model's target name)." };
            var features = new Option<string?>("--features") { Description = "Comma-separated CSV feature columns, in input order (default: every other column)." };
            var epochs = new Option<int?>("--epochs") { Description = "Override the train block's epochs." };
            var batch = new Option<int?>("--batch") { Description = "Override the train block's batch size." };
            var learningRate = new Option<float?>("--lr") { Description = "Override the optimizer's learning rate." };
            var seed = new Option<int>("--seed") { Description = "Seed for initialization, shuffling and dropout.", DefaultValueFactory = _ => 0 };
            var validation = new Option<float?>("--validation") { Description = "Hold out this fraction of the training data for validation." };
            var weights = new Option<string?>("--weights") { Description = "Where to save the weights (default: MODEL.safetensors)." };
            var log = new Option<string?>("--log") { Description = "Write the per-epoch log to this CSV file." };
            var standardize = new Option<bool>("--standardize") { Description = "Standardize the input features with the training split's mean and standard deviation, and save them with the weights." };
            var plot = new Option<string?>("--plot") { Description = "Draw the training curves (loss, validation loss, accuracy per epoch) to this .png or .svg file." };
            var command = new Command("train", "Train a model on CSV or IDX data without a C# project.")
            {
                file, data, test, model, target, features, epochs, batch, learningRate, seed, validation, weights, log, standardize, plot,
            };
            command.SetAction(parse => Run(
                new TrainRequest(
                    parse.GetRequiredValue(file), parse.GetRequiredValue(data), parse.GetValue(test), parse.GetValue(model),
                    parse.GetValue(target), parse.GetValue(features)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(learningRate), parse.GetValue(seed),
                    parse.GetValue(validation), parse.GetValue(weights), parse.GetValue(log), parse.GetValue(standardize), parse.GetValue(plot)),
                parse.InvocationConfiguration.Output,
                parse.InvocationConfiguration.Error));
            return command;
        }

        /// <param name="interactive">Whether <paramref name="output"/> is a terminal that can redraw a progress bar; default: it is the console, not redirected.</param>
        public static int Run(TrainRequest request, TextWriter output, TextWriter error, bool? interactive = null)
        {
            if (request.Plot is { } plotPath && Path.GetExtension(plotPath).ToLowerInvariant() is not (".png" or ".svg"))
            {
                error.WriteLine($"modelc: --plot {plotPath}: the training curves are drawn as .png or .svg");
                return ExitCodes.BadInput;
            }

            if (!MpiLaunch.IsLaunched)
                return Run(request, output, error, interactive, group: null);
            using MpiGroup group = MpiGroup.Start();
            return group.Run(() => Run(request, group.IsRoot ? output : TextWriter.Null, error, group.IsRoot ? interactive : false, group));
        }

        private static int Run(TrainRequest request, TextWriter output, TextWriter error, bool? interactive, MpiGroup? group)
        {
            var models = AnalyzedFile.TryAnalyze(request.File, request.Model, output, error, out int exitCode, out string text);
            if (models is null)
                return exitCode;
            if (models.Count != 1)
            {
                error.WriteLine($"modelc: '{request.File}' declares {models.Count} models ({string.Join(", ", models.Select(m => m.Graph.Name))}); choose one with --model");
                return ExitCodes.BadInput;
            }

            string modelName = models[0].Graph.Name;
            var compiled = ModelCompiler.Compile(request.File, text);
            var assembly = InMemoryModels.Compile(compiled.Files.Select(f => f.Source), out var problems);
            if (assembly is null)
            {
                error.WriteLine($"modelc: internal error: the C# generated for {modelName} does not compile:");
                foreach (var problem in problems)
                    error.WriteLine("  " + problem);
                return ExitCodes.CompileErrors;
            }

            IModel model = InMemoryModels.Create(assembly, modelName, request.Seed);
            try
            {
                return Train(model, request, output, error, interactive ?? (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected), group);
            }
            catch (ArgumentException exception)
            {
                // The parameter name means something in C#, not on the command line.
                string message = exception.ParamName is null ? exception.Message : exception.Message.Replace($" (Parameter '{exception.ParamName}')", "");
                error.WriteLine("modelc: " + message);
                return ExitCodes.BadInput;
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException)
            {
                error.WriteLine("modelc: " + exception.Message);
                return ExitCodes.BadInput;
            }
            catch (TrainingDivergedException exception)
            {
                error.WriteLine("modelc: " + exception.Message);
                return ExitCodes.CompileErrors;
            }
        }

        private static int Train(IModel model, TrainRequest request, TextWriter output, TextWriter error, bool interactive, MpiGroup? group)
        {
            if (model.Inputs.Count != 1 || model.Targets.Count != 1 || !model.HasLoss)
            {
                throw new ArgumentException(
                    $"modelc train handles models with one input, one target and a loss; {model.Name} has {model.Inputs.Count} input(s), "
                    + $"{model.Targets.Count} target(s) and {(model.HasLoss ? "a" : "no")} loss. Train it from C# with ModelC.Runtime.Training.Trainer.");
            }

            if (model.TrainingDefaults.EarlyStoppingPatience is not null && request.Validation is null && model.TrainingDefaults.Validation is null)
            {
                throw new ArgumentException(
                    $"{model.Name}'s train block stops early on {model.TrainingDefaults.EarlyStoppingMetric ?? "val_loss"}, which needs validation data: add --validation 0.1 (or validation(0.1) to the train block).");
            }

            Dataset train = Load(model, request.Data, request, isTest: false);
            string? testPath = request.Test ?? (Directory.Exists(request.Data) ? TestFolderOrNull(request.Data) : null);
            Dataset? test = testPath is null ? null : Load(model, testPath, request, isTest: true);
            output.WriteLine($"{model.Name}: {model.ParameterCount:N0} parameters; {train.Count:N0} training examples from {request.Data}"
                + (test is null ? "" : $", {test.Count:N0} test examples from {testPath}"));

            // The validation split is made here, not by the Trainer, so that scaling is fitted on the training split alone.
            Dataset? validation = null;
            if ((request.Validation ?? model.TrainingDefaults.Validation) is { } fraction)
            {
                CheckFraction(fraction);
                Dataset[] parts = train.Split(new ModelRandom(request.Seed), [1.0 - fraction, fraction]);
                (train, validation) = (parts[0], parts[1]);
            }

            string input = model.Inputs[0].Name;
            Standardizer? scaler = null;
            if (request.Standardize)
            {
                scaler = Standardizer.Fit(train, input);
                (train, validation, test) = (scaler.Transform(train), validation is null ? null : scaler.Transform(validation), test is null ? null : scaler.Transform(test));
                output.WriteLine($"standardized {scaler.FeatureCount:N0} feature(s) with the mean and standard deviation of the {train.Count:N0} training examples");
            }
            else if (!Directory.Exists(request.Data) && model.Inputs[0].Kind == TensorKind.Float)
            {
                WarnAboutScales(Standardizer.Fit(train, input), error);
            }

            // In a group the batch (--batch, else the train block's) is shared out, so N processes make the steps one would.
            int? batch = request.Batch;
            if (group is { Size: > 1 })
            {
                int whole = request.Batch ?? model.TrainingDefaults.Batch ?? 32;
                batch = (whole + group.Size - 1) / group.Size;
                output.WriteLine($"data-parallel over {group.Size} processes: {batch} examples each of every batch of {batch * group.Size}");
            }

            var trainer = new Trainer(model, new TrainerOptions
            {
                Epochs = request.Epochs,
                BatchSize = batch,
                Group = group,
                LearningRate = request.LearningRate,
                Seed = request.Seed,
                LogPath = request.Log,
                Progress = new ConsoleProgressBar(output, interactive),
            });
            TrainingHistory history = trainer.Fit(train, validation);
            output.WriteLine($"trained {history.Epochs.Count} epoch(s) in {history.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s"
                + (history.StoppedEarly ? " (stopped early)" : ""));
            if (test is not null)
                output.WriteLine("test: " + Describe(trainer.Evaluate(test)));

            string weights = request.Weights ?? model.Name + ".safetensors";
            if (trainer.WritesFiles)
                ModelWeights.Save(model, weights, standardizer: scaler);
            output.WriteLine($"weights saved to {weights}" + (scaler is null ? "" : " with the standardizer (mean and standard deviation per feature)"));
            if (request.Plot is { } plotPath && trainer.WritesFiles)
            {
                string picture = PlotFiles.Save(TrainingCurvesPlot.Create(history, $"{model.Name}: training curves"), plotPath, CurvesWidth, CurvesHeight);
                output.WriteLine($"training curves drawn in {picture}");
            }

            return ExitCodes.Success;
        }

        /// <summary>Gradient descent on features a hundred times apart in scale crawls along the small ones: say so, and what to add.</summary>
        private static void WarnAboutScales(Standardizer scales, TextWriter error)
        {
            if (scales.ScaleRatio <= MaxScaleRatio)
                return;
            var deviations = scales.StandardDeviation.Select((d, j) => (Deviation: d, Feature: j)).Where(f => f.Deviation > 0).ToArray();
            var (widest, narrowest) = (deviations.MaxBy(f => f.Deviation), deviations.MinBy(f => f.Deviation));
            error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"modelc: warning: the features' scales differ by {scales.ScaleRatio:N0}x (standard deviation {widest.Deviation:G4} of feature {widest.Feature} "
                + $"against {narrowest.Deviation:G4} of feature {narrowest.Feature}); training may crawl or stall: add --standardize"));
        }

        private static void CheckFraction(float fraction)
        {
            if (fraction is <= 0 or >= 1)
                throw new ArgumentException($"The validation fraction must be in (0, 1); got {fraction.ToString(CultureInfo.InvariantCulture)}.");
        }

        private static Dataset Load(IModel model, string path, TrainRequest request, bool isTest)
        {
            TensorInfo input = model.Inputs[0];
            TensorInfo target = model.Targets[0];
            Dataset data;
            if (Directory.Exists(path))
            {
                string prefix = isTest && request.Test is null ? "t10k" : "train";
                data = IdxDataset.Load(
                    IdxPath(path, prefix + "-images-idx3-ubyte"), IdxPath(path, prefix + "-labels-idx1-ubyte"),
                    input.Name, target.Name, input.Shape);
            }
            else
            {
                if (input.Kind != TensorKind.Float)
                    throw new ArgumentException($"{model.Name}'s input {input} takes class ids; CSV features are numbers.");
                data = CsvDataset.Load(
                    path, request.Target ?? target.Name, request.Features,
                    target.Kind == TensorKind.Int ? CsvTarget.ClassId : CsvTarget.Float, input.Name, target.Name);
            }

            DatasetColumn features = data[input.Name];
            if (features.ExampleSize != input.Size)
            {
                throw new ArgumentException(
                    $"{model.Name}'s input {input} takes {input.Size} values per example, but {path} gives {features.ExampleSize}.");
            }

            DatasetColumn labels = data[target.Name];
            if (labels.ExampleSize != target.Size)
                throw new ArgumentException($"{model.Name}'s target {target} takes {target.Size} values per example, but {path} gives {labels.ExampleSize}.");
            if (target.Kind == TensorKind.Int && labels.Ints.ToArray().FirstOrDefault(label => label >= target.Classes, -1) is int bad and >= 0)
                throw new ArgumentException($"{path} holds class id {bad}, but {model.Name}'s target {target} has classes 0..{target.Classes - 1}.");
            return data;
        }

        private static string IdxPath(string folder, string name)
        {
            string plain = Path.Combine(folder, name);
            return File.Exists(plain + ".gz") || !File.Exists(plain) ? plain + ".gz" : plain;
        }

        private static string? TestFolderOrNull(string folder) =>
            File.Exists(IdxPath(folder, "t10k-images-idx3-ubyte")) ? folder : null;

        private static string Describe(Evaluation scores)
        {
            string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
            string text = $"loss {F(scores.Loss)}";
            if (scores.Accuracy is { } accuracy)
                text += $", accuracy {(100 * accuracy).ToString("F1", CultureInfo.InvariantCulture)} %";
            if (scores.MeanSquaredError is { } mse)
                text += $", MSE {F(mse)}, R² {F(scores.RSquared ?? double.NaN)}";
            return text;
        }
    }
}
