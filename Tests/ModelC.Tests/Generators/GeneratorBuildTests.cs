using System.IO;
using ModelC.Tests.Cli;
using ModelC.Tests.Packaging;
using Xunit;

namespace ModelC.Tests.Generators
{
    /// <summary>
    /// The generator inside a real `dotnet build`: proves the in-solution props load it with its
    /// dependencies (a missing dll shows up as CS8784/CS8785, not as MC diagnostics).
    /// </summary>
    public class GeneratorBuildTests
    {
        [Fact]
        [Trait("Category", "Slow")]
        public void DotnetBuild_OfAProjectWithAMalformedModel_ReportsTheModelsLine_NotAGeneratorFailure()
        {
            using var project = new TempDirectory();
            string props = Path.Combine(DotnetCli.RepositoryRoot(), "Generators", "ModelC.Generators.InSolution.props");
            string projectFile = project.Write("Consumer.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\">\n" +
                "  <PropertyGroup>\n" +
                "    <OutputType>Exe</OutputType>\n" +
                "    <TargetFramework>net10.0</TargetFramework>\n" +
                "    <RootNamespace>Consumer</RootNamespace>\n" +
                "  </PropertyGroup>\n" +
                $"  <Import Project=\"{props}\" />\n" +
                "</Project>\n");
            project.Write("Program.cs", "internal static class Program { private static void Main() { } }\n");
            project.Write("tiny.model", TestModels.MissingSemicolonOnLine3);

            var (exitCode, output) = DotnetCli.Run(project.Path, "build", projectFile, "-nologo", "-nodeReuse:false",
                "-p:UseSharedCompilation=false", "-c", DotnetCli.TestConfiguration());

            Assert.True(exitCode != 0, "the build should fail on the malformed model:\n" + output);
            Assert.Contains("tiny.model(3,", output);
            Assert.Contains("error MC", output);
            Assert.DoesNotContain("CS8785", output);
            Assert.DoesNotContain("CS8784", output);
        }
    }
}
