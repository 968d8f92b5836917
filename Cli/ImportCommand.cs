using System;
using System.CommandLine;
using System.IO;
using ModelC.Onnx;

namespace ModelC.Cli
{
    /// <summary>
    /// <c>modelc import IN.onnx -o DIR</c>: translates an ONNX graph into DIR/NAME.model and its
    /// weights into DIR/NAME.safetensors, NAME coming from the file's name.
    /// </summary>
    public static class ImportCommand
    {
        public static Command Create()
        {
            var file = new Argument<string>("file") { Description = "The .onnx file." };
            var output = new Option<string>("--output", "-o") { Description = "The folder to write NAME.model and NAME.safetensors into.", Required = true };
            var name = new Option<string?>("--name") { Description = "The model's name (default: the file's name in PascalCase)." };
            var command = new Command("import", "Translate an ONNX file into a .model file and a safetensors weights file.") { file, output, name };
            command.SetAction(parse => Run(
                parse.GetRequiredValue(file), parse.GetRequiredValue(output), parse.GetValue(name),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
            return command;
        }

        public static int Run(string file, string folder, string? name, TextWriter output, TextWriter error)
        {
            if (!File.Exists(file))
            {
                error.WriteLine($"modelc: file not found: '{file}'");
                return ExitCodes.BadInput;
            }

            try
            {
                var imported = OnnxImport.Read(file, name);
                var (model, weights) = imported.Save(folder);
                output.WriteLine($"{imported.Name}: wrote {model} and {weights} ({imported.Tensors.Count} tensors)");
                return ExitCodes.Success;
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
        }
    }
}
