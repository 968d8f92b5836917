using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ModelC.Cli;
using ModelC.Tests.Generators;
using Xunit;

namespace ModelC.Tests.Cli
{
    public class CheckCommandTests
    {
        [Fact]
        public void GoodFiles_ExitZero_AndSayHowManyWereChecked()
        {
            using var folder = new TempDirectory();
            string tiny = folder.Write("tiny.model", TestModels.Tiny);
            string other = folder.Write("other.model", TestModels.Other);
            var output = new StringWriter();
            var error = new StringWriter();

            int exitCode = CheckCommand.Run(new[] { tiny, other }, output, error);

            Assert.Equal(ExitCodes.Success, exitCode);
            Assert.Equal("2 file(s) checked, no errors" + System.Environment.NewLine, output.ToString());
            Assert.Equal("", error.ToString());
        }

        [Fact]
        public void UndefinedName_ExitOne_WithTheCanonicalDiagnosticLine()
        {
            using var folder = new TempDirectory();
            string model = folder.Write("undefined.model", TestModels.UndefinedNameOnLine5);
            var output = new StringWriter();

            int exitCode = CheckCommand.Run(new[] { model }, output, new StringWriter());

            Assert.Equal(ExitCodes.CompileErrors, exitCode);
            var lines = output.ToString().TrimEnd().Split(System.Environment.NewLine);
            var canonical = new Regex("^" + Regex.Escape(model) + @"\(5,22\): error MC[0-9]{4}: .*'z'");
            Assert.Single(lines, line => canonical.IsMatch(line));
            int errorLines = lines.Count(line => line.StartsWith(model + "(") && line.Contains(": error MC"));
            Assert.Equal($"1 file(s) checked, {errorLines} error(s)", lines[^1]);
        }

        [Fact]
        public void OneBrokenFileAmongGoodOnes_StillExitsOne_AndNamesOnlyTheBrokenFile()
        {
            using var folder = new TempDirectory();
            string tiny = folder.Write("tiny.model", TestModels.Tiny);
            string broken = folder.Write("broken.model", TestModels.MissingSemicolonOnLine3);
            var output = new StringWriter();

            int exitCode = CheckCommand.Run(new[] { tiny, broken }, output, new StringWriter());

            Assert.Equal(ExitCodes.CompileErrors, exitCode);
            Assert.StartsWith(broken + "(3,", output.ToString());
            Assert.DoesNotContain(tiny + "(", output.ToString());
        }

        [Fact]
        public void MissingFile_ExitTwo_NamingTheFile_AndCompilesNothing()
        {
            using var folder = new TempDirectory();
            string tiny = folder.Write("tiny.model", TestModels.Tiny);
            string missing = Path.Combine(folder.Path, "nope.model");
            var output = new StringWriter();
            var error = new StringWriter();

            int exitCode = CheckCommand.Run(new[] { tiny, missing }, output, error);

            Assert.Equal(ExitCodes.BadInput, exitCode);
            Assert.Equal($"modelc: file not found: '{missing}'" + System.Environment.NewLine, error.ToString());
            Assert.Equal("", output.ToString());
        }

        [Fact]
        public void CommandLine_ParsesCheckAndReturnsItsExitCode()
        {
            using var folder = new TempDirectory();
            string broken = folder.Write("broken.model", TestModels.MissingSemicolonOnLine3);
            var configuration = new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter() };

            int exitCode = ModelcCommandLine.Run(new[] { "check", broken }, configuration);

            Assert.Equal(ExitCodes.CompileErrors, exitCode);
            Assert.Contains(broken + "(3,", configuration.Output.ToString());
        }
    }
}
