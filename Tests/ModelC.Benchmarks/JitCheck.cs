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
/// version of every FashionMlp, CharRnn (an LSTM over 32 steps), DenseKernels, PackedProduct,
/// VectorMatrixKernels (batch 1), LstmKernels and ActivationKernels method. Fails when any is still Tier0 (quick JIT), minimally
/// optimized or instrumented.
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
        var charRnn = new CharRnn(seed: 1);
        var text = new int[16 * 32];
        for (int i = 0; i < text.Length; i++) text[i] = random.Next(60);
        // Tiered compilation promotes a method after 30 calls and a 100 ms quiet period; warm up for
        // three rounds of that, as BenchmarkDotNet's pilot and warm-up stages do.
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 200; i++) { model.TrainStep(x, y); model.Forward(one, logits, probs); }
            for (int i = 0; i < 100; i++) charRnn.TrainStep(text, text);
            Thread.Sleep(300);
        }

        var watched = listener.LastTier
            .Where(e => e.Key.StartsWith(typeof(FashionMlp).FullName + ".", StringComparison.Ordinal)
                     || e.Key.StartsWith(typeof(CharRnn).FullName + ".", StringComparison.Ordinal)
                     || e.Key.StartsWith(typeof(DenseKernels).FullName + ".", StringComparison.Ordinal)
                     || e.Key.StartsWith("ModelC.Runtime.Kernels.PackedProduct.", StringComparison.Ordinal)
                     || e.Key.StartsWith(typeof(VectorMatrixKernels).FullName + ".", StringComparison.Ordinal)
                     || e.Key.StartsWith(typeof(LstmKernels).FullName + ".", StringComparison.Ordinal)
                     || e.Key.StartsWith(typeof(ActivationKernels).FullName + ".", StringComparison.Ordinal))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        int bad = 0;
        foreach (var (method, tier) in watched)
        {
            bool optimized = IsOptimized(tier) || RunsOncePerModel(method);
            if (!optimized) bad++;
            Console.WriteLine($"{(IsOptimized(tier) ? "ok  " : optimized ? "once" : "BAD ")} {TierName(tier),-26} {method}");
        }
        Console.WriteLine($"{watched.Count} methods, {bad} not fully optimized");
        return watched.Count > 0 && bad == 0 ? 0 : 1;
    }

    // Optimized, tier 1, ready-to-run, or tier-1 code entered on stack replacement. The runtime
    // sometimes labels a method's tier-1 body OSR even when it has no loop (seen for BackwardFromLoss
    // and property getters in some runs); either way the code is fully optimized.
    private static bool IsOptimized(int tier) => tier is 2 or 4 or 5 or 6;

    // Construction-time methods run a handful of times per model (static constructors once); tier 0 is right for them.
    private static bool RunsOncePerModel(string method) =>
        method.EndsWith(".ctor", StringComparison.Ordinal) || method.EndsWith(".cctor", StringComparison.Ordinal) || method.EndsWith(".Initialize", StringComparison.Ordinal)
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
            // The runtime packs the optimization tier into bits 7-10 of MethodFlags. A fully optimized
            // version, once compiled, serves every later call, so a later on-stack-replacement
            // body (compiled for a tier-0 frame still inside a loop) does not replace it.
            int tier = (int)((flags >> 7) & 0xF);
            LastTier.AddOrUpdate(type + "." + name, tier, (_, seen) => IsOptimized(seen) ? seen : tier);
        }
    }
}
