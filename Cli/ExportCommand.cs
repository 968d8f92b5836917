using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using ModelC.Compiler;
using ModelC.InMemory;
using ModelC.Onnx;
using ModelC.Runtime;
using ModelC.Runtime.Weights;

namespace ModelC.Cli
{
    /// <summary>
    /// <c>modelc export FILE.model [--weights W.safetensors] [--seed N] -o OUT.onnx</c>: writes a
    /// model's inference graph as ONNX, with the weights of a file or of a fresh model with that seed.
    /// </summary>
    public static class ExportCommand
    {
        public static Command Create()
        {
            var file = new Argument<string>("file") { Description = "The .model file." };
            var output = new Option<string>("--output", "-o") { Description = "The .onnx file to write.", Required = true };
            var weights = new Option<string?>("--weights") { Description = "A safetensors file with the parameters (and batchnorm statistics); default: a fresh model's initial values." };
            var seed = new Option<int>("--seed") { Description = "Seed of the fresh model's initialization when no --weights are given.", DefaultValueFactory = _ => 0 };
            var model = new Option<string?>("--model") { Description = "The model to export, when the file declares several." };
            var command = new Command("export", $"Write a model's inference graph as an ONNX file (opset {OnnxFormat.Opset}, dynamic batch axis).")
            {
                file, output, weights, seed, model,
            };
            command.SetAction(parse => Run(
                parse.GetRequiredValue(file), parse.GetRequiredValue(output), parse.GetValue(weights), parse.GetValue(seed), parse.GetValue(model),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
            return command;
        }

        public static int Run(string file, string onnxPath, string? weights, int seed, string? modelName, TextWriter output, TextWriter error)
        {
            var models = AnalyzedFile.TryAnalyze(file, modelName, output, error, out int exitCode, out string text);
            if (models is null)
                return exitCode;
            if (models.Count != 1)
            {
                error.WriteLine($"modelc: '{file}' declares {models.Count} models ({string.Join(", ", models.Select(m => m.Graph.Name))}); choose one with --model");
                return ExitCodes.BadInput;
            }

            string name = models[0].Graph.Name;
            var compiled = ModelCompiler.Compile(file, text);
            var assembly = InMemoryModels.Compile(compiled.Files.Select(f => f.Source), out var problems);
            if (assembly is null)
            {
                error.WriteLine($"modelc: internal error: the C# generated for {name} does not compile:");
                foreach (var problem in problems)
                    error.WriteLine("  " + problem);
                return ExitCodes.CompileErrors;
            }

            IModel model = InMemoryModels.Create(assembly, name, seed);
            try
            {
                if (weights is not null)
                    ModelWeights.Load(model, weights);
                OnnxExport.Save(model, onnxPath);
            }
            catch (NotSupportedException exception)
            {
                error.WriteLine("modelc: " + exception.Message);
                return ExitCodes.CompileErrors;
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine("modelc: " + exception.Message);
                return ExitCodes.BadInput;
            }

            output.WriteLine($"{name}: wrote {onnxPath} (ONNX opset {OnnxFormat.Opset}; inputs {string.Join(", ", model.Inputs)}; outputs {string.Join(", ", model.Outputs)})");
            return ExitCodes.Success;
        }
    }
}
