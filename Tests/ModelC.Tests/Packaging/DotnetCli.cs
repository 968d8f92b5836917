using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ModelC.Tests.Packaging
{
    /// <summary>Runs the dotnet CLI (and other programs) the way a user at a shell would, for the tests that build real projects.</summary>
    internal static class DotnetCli
    {
        // A hang guard, not a speed check: a restore-and-build takes about 20 s on a quiet machine and
        // several minutes on a shared, heavily loaded one.
        public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

        public static (int ExitCode, string Output) Run(string workingDirectory, params string[] arguments) =>
            RunProgram(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", workingDirectory, arguments);

        public static (int ExitCode, string Output) RunProgram(string program, string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo(program)
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
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(" ", arguments)} did not finish within {Timeout.TotalMinutes} min");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }

        /// <summary>The configuration the tests were built in: building or packing in it finds everything up to date.</summary>
        public static string TestConfiguration() =>
            typeof(DotnetCli).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

        // The source file's location survives copying the test binaries elsewhere; the binaries'
        // location is the fallback when the build maps source paths away.
        public static string RepositoryRoot([CallerFilePath] string thisFile = "")
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
