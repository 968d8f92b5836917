using System.IO;
using System.Linq;
using ModelC.Cli;
using ModelC.Compiler;
using ModelC.Tests.Generators;
using Xunit;

namespace ModelC.Tests.Cli
{
    public class EmitCommandTests
    {
        [Fact]
        public void GoodModel_WritesExactlyWhatTheCompilerReturns_AndExitsZero()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("tiny.model", TestModels.Tiny);
            string outputDirectory = Path.Combine(folder.Path, "out", "generated");

            int exitCode = EmitCommand.Run(model, outputDirectory, "Acme.Cli", new StringWriter(), new StringWriter());

            Assert.Equal(ExitCodes.Success, exitCode);
            var expected = ModelCompiler.Compile(model, TestModels.Tiny, new CompileOptions("Acme.Cli"));
            var file = Assert.Single(expected.Files);
            Assert.Equal(new[] { file.HintName }, Directory.GetFiles(outputDirectory).Select(Path.GetFileName).ToArray());
            string written = File.ReadAllText(Path.Combine(outputDirectory, file.HintName));
            Assert.Equal(file.Source, written);
            Assert.Contains("namespace Acme.Cli", written);
        }

        [Fact]
        public void BrokenModel_ExitsOne_PrintsTheDiagnostic_AndWritesNothing()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("broken.model", TestModels.MissingSemicolonOnLine3);
            string outputDirectory = Path.Combine(folder.Path, "out");
            var output = new StringWriter();

            int exitCode = EmitCommand.Run(model, outputDirectory, null, output, new StringWriter());

            Assert.Equal(ExitCodes.CompileErrors, exitCode);
            Assert.StartsWith(model + "(3,", output.ToString());
            Assert.Contains("error MC", output.ToString());
            Assert.False(Directory.Exists(outputDirectory));
        }

        [Fact]
        public void MissingFile_ExitsTwo_NamingTheFile()
        {
            using var folder = new TempDirectory();
            string missing = Path.Combine(folder.Path, "absent.model");
            var error = new StringWriter();

            int exitCode = EmitCommand.Run(missing, Path.Combine(folder.Path, "out"), null, new StringWriter(), error);

            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains($"'{missing}'", error.ToString());
        }

        [Fact]
        public void CommandLine_EmitWithShortOutputOption_WritesTheFile()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("tiny.model", TestModels.Tiny);
            string outputDirectory = Path.Combine(folder.Path, "gen");
            var configuration = new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter() };

            int exitCode = ModelcCommandLine.Run(new[] { "emit", model, "-o", outputDirectory, "--namespace", "Acme.Cli" }, configuration);

            Assert.Equal(ExitCodes.Success, exitCode);
            Assert.Single(Directory.GetFiles(outputDirectory, "*.cs"));
        }

        [Fact]
        public void CommandLine_EmitWithoutOutputOption_IsAUsageError()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("tiny.model", TestModels.Tiny);
            var configuration = new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter() };

            int exitCode = ModelcCommandLine.Run(new[] { "emit", model }, configuration);

            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Contains("--output", configuration.Error.ToString());
        }
    }
}
