using System;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading;
using ModelC.Runtime.Kernels;

namespace ModelC.Benchmarks;

/// <summary>
/// Proof that no generated method (nor kernel) is left running unoptimized: listens to the
/// runtime's JIT events while the workloads warm up as a benchmark would, then lists the last code
/// version of every FashionMlp and DenseKernels method. Fails when any is still Tier0 (quick
/// JIT), minimally optimized, instrumented, or only on-stack-replaced.
/// </summary>
public static class JitCheck
{
    private static readonly string[] s_tiers =
    {
        "Unknown", "MinOptJitted", "Optimized", "QuickJitted", "OptimizedTier1", "ReadyToRun",
        "OptimizedTier1OSR", "QuickJittedInstrumented", "OptimizedTier1Instrumented",
    };

    public static int Run()
    {
        using var listener = new JitListener();
        var model = new FashionMlp(seed: 1);
        var random = new Random(7);
        var x = FashionBenchmarks.Pixels(random, 64);
        var y = new int[64];
        var one = FashionBenchmarks.Pixels(random, 1);
        var logits = new float[10];
        var probs = new float[10];
        // Tiered compilation promotes a method after 30 calls and a 100 ms quiet period; warm up for
        // three rounds of that, as BenchmarkDotNet's pilot and warm-up stages do.
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 200; i++) { model.TrainStep(x, y); model.Forward(one, logits, probs); }
            Thread.Sleep(300);
        }

        var watched = listener.LastTier
            .Where(e => e.Key.StartsWith(typeof(FashionMlp).FullName + ".", StringComparison.Ordinal)
                     || e.Key.StartsWith(typeof(DenseKernels).FullName + ".", StringComparison.Ordinal))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        int bad = 0;
        foreach (var (method, tier) in watched)
        {
            bool optimized = tier is 2 or 4 or 5 || RunsOncePerModel(method);
            if (!optimized) bad++;
            Console.WriteLine($"{(tier is 2 or 4 or 5 ? "ok  " : optimized ? "once" : "BAD ")} {TierName(tier),-26} {method}");
        }
        Console.WriteLine($"{watched.Count} methods, {bad} not fully optimized");
        return watched.Count > 0 && bad == 0 ? 0 : 1;
    }

    // Construction-time methods run a handful of times per model; tier 0 is right for them.
    private static bool RunsOncePerModel(string method) =>
        method.EndsWith(".ctor", StringComparison.Ordinal) || method.EndsWith(".Initialize", StringComparison.Ordinal)
        || method.EndsWith(".CreateOptimizer", StringComparison.Ordinal) || method.EndsWith(".set_Optimizer", StringComparison.Ordinal);

    private static string TierName(int tier) => tier >= 0 && tier < s_tiers.Length ? s_tiers[tier] : $"tier {tier}";

    private sealed class JitListener : EventListener
    {
        private const int MethodLoadVerbose = 143;
        private const EventKeywords JitKeyword = (EventKeywords)0x10;

        public ConcurrentDictionary<string, int> LastTier { get; } = new ConcurrentDictionary<string, int>();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, JitKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventId != MethodLoadVerbose || e.Payload is null) return;
            string type = e.Payload[e.PayloadNames!.IndexOf("MethodNamespace")]?.ToString() ?? "";
            string name = e.Payload[e.PayloadNames.IndexOf("MethodName")]?.ToString() ?? "";
            uint flags = Convert.ToUInt32(e.Payload[e.PayloadNames.IndexOf("MethodFlags")]);
            // The runtime packs the optimization tier into bits 7-10 of MethodFlags.
            LastTier[type + "." + name] = (int)((flags >> 7) & 0xF);
        }
    }
}
