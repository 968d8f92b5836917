using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

namespace ModelC.Tests.Distributed;

/// <summary>What a run of the test host printed and how it ended.</summary>
internal sealed record JobResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Starts the test host (ModelC.Distributed.TestHost, built beside these tests) alone or under
/// <c>mpiexec -n N</c> on this machine, and bounds the run in time twice: MPICH's launcher ends
/// the job at MPIEXEC_TIMEOUT, and past a grace period the test kills the whole process tree.
/// </summary>
internal static class MpiJob
{
    public static string HostPath => Path.Combine(AppContext.BaseDirectory, "ModelC.Distributed.TestHost.dll");

    /// <summary>modelc, built beside these tests too.</summary>
    public static string ModelcPath => Path.Combine(AppContext.BaseDirectory, "modelc.dll");

    /// <summary>Runs the host under <c>mpiexec -n <paramref name="processes"/></c>, or alone when it is 0.</summary>
    public static JobResult Run(int processes, TimeSpan limit, params string[] arguments) => RunProgram(HostPath, processes, limit, arguments);

    /// <summary>Runs the .NET program <paramref name="program"/> (a .dll) under <c>mpiexec -n <paramref name="processes"/></c>, or alone when it is 0.</summary>
    public static JobResult RunProgram(string program, int processes, TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo
        {
            FileName = processes == 0 ? "dotnet" : "mpiexec",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (processes > 0)
        {
            foreach (string word in new[] { "-n", processes.ToString(CultureInfo.InvariantCulture), "dotnet" })
            {
                start.ArgumentList.Add(word);
            }
        }

        start.ArgumentList.Add(program);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MPIEXEC_TIMEOUT"] = ((int)Math.Ceiling(limit.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        foreach (string inherited in new[] { "PMI_RANK", "PMI_SIZE", "PMI_FD", "MPI_LOCALNRANKS", "MPI_LOCALRANKID" })
        {
            start.Environment.Remove(inherited);
        }

        var clock = Stopwatch.StartNew();
        Process started;
        try
        {
            started = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        }
        catch (System.ComponentModel.Win32Exception exception) when (processes > 0)
        {
            throw new InvalidOperationException("The data-parallel tests need MPICH's mpiexec: apt-get install mpich libmpich-dev (.ci/run does).", exception);
        }

        using Process process = started;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit + TimeSpan.FromSeconds(15)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} ran past {limit.TotalSeconds} s and was killed.\n{output.Result}\n{error.Result}");
        }

        return new JobResult(process.ExitCode, output.Result, error.Result, clock.Elapsed);
    }
}
