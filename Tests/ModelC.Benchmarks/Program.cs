using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ModelC.Benchmarks;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release -- --filter '*'   runs every benchmark (BenchmarkDotNet arguments);
    /// dotnet run -c Release -- --gpt-profile  times CharGpt's training step op by op;
    /// dotnet run -c Release -- --jit-check    reports the JIT tier of every generated method after warm-up;
    /// [mpiexec -n 2] dotnet run -c Release -- --data-parallel   times data-parallel training and the all-reduce;
    /// dotnet run -c Release -- --ratios --out modelc.json   times the ratio table's workloads (ratio.py --run calls it).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--jit-check") return JitCheck.Run();
        if (args.Length > 0 && args[0] == "--quick") return QuickTimer.Run(args);
        if (args.Length > 0 && args[0] == "--gpt-profile") return GptProfile.Run(args);
        if (args.Length > 0 && args[0] == "--data-parallel") return DataParallelTimer.Run();
        if (args.Length > 0 && args[0] == "--ratios") return RatioTimer.Run(args);
        if (args.Length > 0 && args[0] == "--inference-profile") return InferenceProfile.Run(args);
        if (args.Length > 0 && args[0] == "--elementwise") return ElementwiseTimer.Run();
        var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(15).WithLaunchCount(1).AsDefault())
            .AddExporter(JsonExporter.Full);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
