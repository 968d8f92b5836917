using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using ModelC.Tests.Cli;
using Xunit;

namespace ModelC.Tests.Generators
{
    /// <summary>
    /// The generator inside a real `dotnet build`: proves the in-solution props load it with its
    /// dependencies (a missing dll shows up as CS8784/CS8785, not as MC diagnostics).
    /// </summary>
    public class GeneratorBuildTests
    {
        // A hang guard, not a speed check: a restore-and-build takes about 20 s on a quiet machine and
        // several minutes on a shared, heavily loaded one.
        private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

        [Fact]
        [Trait("Category", "Slow")]
        public void DotnetBuild_OfAProjectWithAMalformedModel_ReportsTheModelsLine_NotAGeneratorFailure()
        {
            using var project = new TempDirectory();
            string props = Path.Combine(RepositoryRoot(), "Generators", "ModelC.Generators.InSolution.props");
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

            var (exitCode, output) = RunDotnet(project.Path, "build", projectFile, "-nologo", "-nodeReuse:false",
                "-p:UseSharedCompilation=false", "-c", TestConfiguration());

            Assert.True(exitCode != 0, "the build should fail on the malformed model:\n" + output);
            Assert.Contains("tiny.model(3,", output);
            Assert.Contains("error MC", output);
            Assert.DoesNotContain("CS8785", output);
            Assert.DoesNotContain("CS8784", output);
        }

        [Fact]
        [Trait("Category", "Slow")]
        public void TheNuGetPackage_CarriesTheGeneratorsDependencies_SoAnOutsideProjectCompilesItsModels()
        {
            using var feed = new TempDirectory();
            using var project = new TempDirectory();
            string root = RepositoryRoot();
            // A version no earlier run used, so the global package cache cannot serve a stale copy.
            string version = "0.0.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

            var (packExit, packOutput) = RunDotnet(root, "pack", Path.Combine(root, "Generators", "ModelC.Generators.csproj"), "-nologo",
                "-nodeReuse:false", "-p:UseSharedCompilation=false", "-c", TestConfiguration(), "-o", feed.Path, $"-p:Version={version}");
            Assert.True(packExit == 0, "dotnet pack failed:\n" + packOutput);

            string projectFile = project.Write("Outside.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\">\n" +
                "  <PropertyGroup>\n" +
                "    <OutputType>Exe</OutputType>\n" +
                "    <TargetFramework>net10.0</TargetFramework>\n" +
                "    <RootNamespace>Outside</RootNamespace>\n" +
                $"    <RestoreAdditionalProjectSources>{feed.Path}</RestoreAdditionalProjectSources>\n" +
                "  </PropertyGroup>\n" +
                "  <ItemGroup>\n" +
                $"    <PackageReference Include=\"ModelC.Generators\" Version=\"{version}\" />\n" +
                // Runtime is not packaged yet; generated code links against it.
                $"    <ProjectReference Include=\"{Path.Combine(root, "Runtime", "ModelC.Runtime.csproj")}\" />\n" +
                // An .onnx file is compiled only when listed: the importer and Google.Protobuf must load from the package too.
                "    <AdditionalFiles Include=\"models/mlp.onnx\" />\n" +
                "  </ItemGroup>\n" +
                "</Project>\n");
            project.Write("Program.cs",
                "System.Console.WriteLine($\"parameters: {new Outside.Tiny(seed: 1).Parameters.Length}\");\n" +
                "System.Console.WriteLine($\"onnx first weight: {Outside.Mlp.FromOnnx().Parameters[0]:R}\");\n");
            project.Write("models/tiny.model", TestModels.Tiny);
            File.Copy(Path.Combine(root, "Tests", "ModelC.Tests", "Fixtures", "Onnx", "mlp.onnx"), Path.Combine(project.Path, "models", "mlp.onnx"));

            var (runExit, runOutput) = RunDotnet(project.Path, "run", "--project", projectFile, "-nologo", "-nodeReuse:false",
                "-p:UseSharedCompilation=false");

            Assert.True(runExit == 0, "the outside project should build and run:\n" + runOutput);
            Assert.Contains("parameters: 4", runOutput);
            float firstWeight = ModelC.Onnx.OnnxImport.Read(Path.Combine(root, "Tests", "ModelC.Tests", "Fixtures", "Onnx", "mlp.onnx")).Tensors[0].Values[0];
            Assert.Contains($"onnx first weight: {firstWeight:R}", runOutput);
            Assert.DoesNotContain("CS8785", runOutput);
        }

        private static (int ExitCode, string Output) RunDotnet(string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments)
                start.ArgumentList.Add(argument);
            // Keep the test's own MSBuild settings from leaking into the child build.
            start.Environment.Remove("MSBuildExtensionsPath");
            start.Environment.Remove("MSBUILD_EXE_PATH");
            start.Environment.Remove("MSBuildSDKsPath");

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(BuildTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet {string.Join(" ", arguments)} did not finish within {BuildTimeout.TotalSeconds} s");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }

        // Build the temp project in the configuration the tests were built in, so the
        // generator and its dependencies are already up to date.
        private static string TestConfiguration() =>
            typeof(GeneratorBuildTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

        // The source file's location survives copying the test binaries elsewhere; the binaries'
        // location is the fallback when the build maps source paths away.
        private static string RepositoryRoot([CallerFilePath] string thisFile = "")
        {
            foreach (string start in new[] { Path.GetDirectoryName(thisFile) ?? "", AppContext.BaseDirectory })
            {
                for (var directory = start.Length == 0 ? null : new DirectoryInfo(start); directory != null; directory = directory.Parent)
                {
                    if (File.Exists(Path.Combine(directory.FullName, "ModelC.sln")))
                        return directory.FullName;
                }
            }
            throw new InvalidOperationException($"no ModelC.sln above {thisFile} or {AppContext.BaseDirectory}");
        }
    }
}
