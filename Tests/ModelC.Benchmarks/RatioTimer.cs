using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using ModelC.Runtime.Kernels;
using Samples.LeNet;

namespace ModelC.Benchmarks;

/// <summary>
/// --ratios [--out FILE] [--rounds N] [--only NAME,...]: times every workload of the ratio table (ModelC at 1 and 2
/// threads, ONNX Runtime at 1 and 2 intra-op threads) and writes each one's best, median and worst
/// per-call time as JSON for ratio.py. Rounds go round the workloads in turn, so a burst of load
/// from another process slows one round of each rather than every round of one; the best round is
/// the figure a shared machine disturbs least.
/// </summary>
public static class RatioTimer
{
    private const double RoundSeconds = 0.05;

    public static int Run(string[] args)
    {
        if (Argument(args, "--profile") is { } profiled) return Profile(profiled, double.Parse(Argument(args, "--seconds") ?? "10", CultureInfo.InvariantCulture));
        string output = Argument(args, "--out") ?? "modelc.json";
        int rounds = int.Parse(Argument(args, "--rounds") ?? "15", CultureInfo.InvariantCulture);
        string[]? only = Argument(args, "--only")?.Split(',');
        // ONNX Runtime's intra-op threads spin between calls for as long as a session is open, taking
        // a core from anything else in the process: ModelC's 2-thread FashionMlp batch 64 measured
        // 186 us beside open sessions and 124 us without, and one session's 2-thread batch 64 took
        // 149 us beside the other sessions and 76 us alone. So ModelC's workloads are timed first,
        // going round them in turn, then each session alone: the iterator opens a session only
        // after the one before it is disposed.
        var measured = Selected(new[] { 1, 2 }.SelectMany(Workloads.ModelC), only).ToList();
        Measure(measured, rounds);
        foreach (var session in Selected(new[] { 1, 2 }.SelectMany(Workloads.OnnxRuntime), only))
        {
            Measure(new List<Workload> { session }, rounds);
            session.Dispose();
            measured.Add(session);
        }

        var json = new Dictionary<string, object>
        {
            ["time"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            ["load_average"] = LoadAverage(),
            ["processor"] = Processor(),
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["onnxruntime"] = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version!.ToString(3),
        };
        foreach (var w in measured)
        {
            var times = w.Times.OrderBy(t => t).ToArray();
            json[w.Key] = new Dictionary<string, double>
            {
                ["best_ns"] = times[0], ["median_ns"] = times[times.Length / 2], ["worst_ns"] = times[^1], ["calls"] = w.Calls,
                ["best_thread_cpu_ns"] = w.CpuTimes.Min(),
            };
            Console.WriteLine($"{w.Key,-24} {times[0] / 1e3,12:F1} us  (median {times[times.Length / 2] / 1e3:F1}; calling thread's CPU {w.CpuTimes.Min() / 1e3:F1})");
        }
        foreach (var check in Workloads.AgreementChecks) Console.WriteLine(check);
        File.WriteAllText(output, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    /// <summary>
    /// The workloads --only names (NAME[,NAME]: a subset, for a quick look while changing one kernel),
    /// one at a time as the iterator underneath makes them; the others are disposed.
    /// </summary>
    private static IEnumerable<Workload> Selected(IEnumerable<Workload> workloads, string[]? only)
    {
        foreach (var w in workloads)
        {
            if (only is null || only.Any(n => w.Key.StartsWith(n + "@", StringComparison.Ordinal))) yield return w;
            else w.Dispose();
        }
    }

    /// <summary>Warms every workload up, then times the rounds, going round the workloads in turn.</summary>
    private static void Measure(List<Workload> workloads, int rounds)
    {
        if (workloads.Count == 0) return;
        foreach (var w in workloads) w.Prepare(RoundSeconds);
        // Generated passes and kernels are AggressiveOptimization (fully optimized at once); the rest
        // of the calling code gets a tier-up pause here.
        Thread.Sleep(300);
        foreach (var w in workloads) w.Prepare(RoundSeconds);
        for (int r = 0; r < rounds; r++)
            foreach (var w in workloads) w.TimeRound();
    }

    /// <summary>
    /// --ratios --profile NAME@THREADS [--seconds S]: runs one workload alone for S seconds (10 by default), for a
    /// sampling profiler (perf record with DOTNET_PerfMapEnabled=1), and prints its mean per-call time.
    /// </summary>
    private static int Profile(string key, double seconds)
    {
        int at = key.LastIndexOf('@');
        int threads = at < 0 ? 1 : int.Parse(key[(at + 1)..], CultureInfo.InvariantCulture);
        if (at < 0) key += "@1";
        Workload? workload = null;
        foreach (var w in Workloads.ModelC(threads).Concat(Workloads.OnnxRuntime(threads)))
        {
            if (w.Key == key) { workload = w; break; }
            w.Dispose();
        }
        if (workload is null)
        {
            Console.Error.WriteLine($"--profile: no workload {key}");
            return 1;
        }
        workload.Prepare(1.0);
        long cpu = ThreadCpu.Nanoseconds();
        long start = Stopwatch.GetTimestamp();
        long calls = 0;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            workload.RunOnce();
            calls++;
        }
        Console.WriteLine($"{key}: {Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls / 1e3:F1} us per call over {calls} calls (calling thread's CPU {(ThreadCpu.Nanoseconds() - cpu) / 1e3 / calls:F1} us)");
        workload.Dispose();
        return 0;
    }

    private static string? Argument(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;

    private static string Processor() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
}

/// <summary>One timed operation: what it runs, at how many threads, and its rounds' per-call times.</summary>
internal sealed class Workload : IDisposable
{
    private readonly Action _run;
    private readonly int _threads;
    private readonly IDisposable? _owned;

    public Workload(string name, int threads, Action run, IDisposable? owned = null)
    {
        Key = $"{name}@{threads}";
        _threads = threads;
        _run = run;
        _owned = owned;
    }

    public string Key { get; }
    public int Calls { get; private set; } = 1;
    public List<double> Times { get; } = new();
    /// <summary>The calling thread's CPU time per call in each round: a 1-thread workload's cost with the waits for a busy machine's cores left out.</summary>
    public List<double> CpuTimes { get; } = new();

    /// <summary>Warms up, then sizes a round to about <paramref name="seconds"/>.</summary>
    public void Prepare(double seconds)
    {
        KernelThreads.Parts = _threads;
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds || calls < 3) { _run(); calls++; }
        Calls = Math.Max(1, (int)(calls * seconds / Stopwatch.GetElapsedTime(start).TotalSeconds));
    }

    public void TimeRound()
    {
        KernelThreads.Parts = _threads;
        _run();
        long cpu = ThreadCpu.Nanoseconds();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Calls; i++) _run();
        Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / Calls);
        CpuTimes.Add((double)(ThreadCpu.Nanoseconds() - cpu) / Calls);
    }

    /// <summary>One call, at this workload's thread count.</summary>
    public void RunOnce()
    {
        KernelThreads.Parts = _threads;
        _run();
    }

    public void Dispose() => _owned?.Dispose();
}

/// <summary>The ratio table's workloads on fixed random inputs, the same on every run.</summary>
internal static class Workloads
{
    public const string FashionResource = "fashion.model";
    public const string LeNetResource = "lenet.model";

    /// <summary>How far ONNX Runtime's outputs are from ModelC's on the same inputs, one line per session.</summary>
    public static List<string> AgreementChecks { get; } = new();

    private static readonly int[] InferenceBatches = { 1, 64 };

    /// <summary>ModelC's workloads: training steps, inference and the 1024³ product.</summary>
    public static IEnumerable<Workload> ModelC(int threads)
    {
        var random = new Random(7);
        var mlp = new FashionMlp(seed: 1);
        var x64 = FashionBenchmarks.Pixels(random, 64);
        var x256 = FashionBenchmarks.Pixels(random, 256);
        var y256 = Labels(random, 256, 10);
        var y64 = y256[..64];
        mlp.TrainStep(x256, y256);
        var mlpRewinder = new Rewinder(mlp);
        yield return new Workload("train64", threads, () => mlpRewinder.AfterStep(mlp.TrainStep(x64, y64)));
        yield return new Workload("train256", threads, () => mlpRewinder.AfterStep(mlp.TrainStep(x256, y256)));

        var lenet = new LeNet(seed: 1);
        lenet.TrainStep(x64, y64);
        var lenetRewinder = new Rewinder(lenet);
        yield return new Workload("lenet64", threads, () => lenetRewinder.AfterStep(lenet.TrainStep(x64, y64)));

        var charRnn = new CharRnn(seed: 1);
        var text = Labels(random, 16 * 32, 60);
        var next = Labels(random, 16 * 32, 60);
        charRnn.TrainStep(text, next);
        var charRnnRewinder = new Rewinder(charRnn);
        yield return new Workload("charrnn16", threads, () => charRnnRewinder.AfterStep(charRnn.TrainStep(text, next)));

        var charGpt = new ModelC.Samples.CharGpt.CharGpt(seed: 1);
        var window = Labels(random, 32 * 64, 60);
        var following = Labels(random, 32 * 64, 60);
        charGpt.TrainStep(window, following);
        var charGptRewinder = new Rewinder(charGpt);
        yield return new Workload("chargpt32", threads, () => charGptRewinder.AfterStep(charGpt.TrainStep(window, following)));

        // Inference on fresh models, so the weights are the initial ones in ModelC and in ONNX Runtime
        // alike; their dense weights are packed once, as ONNX Runtime prepacks a session's.
        var inferenceMlp = new FashionMlp(seed: 1) { ReusePackedWeights = true };
        var inferenceLeNet = new LeNet(seed: 1) { ReusePackedWeights = true };
        var logits = new float[64 * 10];
        var probs = new float[64 * 10];
        foreach (int batch in InferenceBatches)
        {
            var x = InferenceInput(batch);
            var mlpLogits = logits.AsMemory(0, batch * 10);
            var mlpProbs = probs.AsMemory(0, batch * 10);
            yield return new Workload($"forward{batch}", threads, () => inferenceMlp.Forward(x, mlpLogits.Span, mlpProbs.Span));
            var lenetLogits = new float[batch * 10];
            yield return new Workload($"lenetForward{batch}", threads, () => inferenceLeNet.Forward(x, lenetLogits));
        }

        var a = Values(random, 1024 * 1024);
        var w = Values(random, 1024 * 1024);
        var c = new float[1024 * 1024];
        yield return new Workload("product", threads, () => DenseKernels.MultiplyTransposed(a, w, c, 1024, 1024, 1024, packed: null, slot: 0, version: 0, overwrite: true));
    }

    /// <summary>
    /// ONNX Runtime on ModelC's inference workloads: the same models exported from instances with the
    /// same seeds (so the same weights) and the same inputs, each session checked against ModelC's Forward.
    /// </summary>
    public static IEnumerable<Workload> OnnxRuntime(int threads)
    {
        var mlp = new FashionMlp(seed: 1);
        var lenet = new LeNet(seed: 1);
        foreach (int batch in InferenceBatches)
        {
            var x = InferenceInput(batch);
            var mlpLogits = new float[batch * 10];
            var mlpProbs = new float[batch * 10];
            var lenetLogits = new float[batch * 10];
            var mlpSession = new OnnxRuntimeSession(mlp, FashionResource, threads, batch, x);
            Check($"FashionMlp batch {batch}, {threads} intra-op threads", mlpSession, () => { mlp.Forward(x, mlpLogits, mlpProbs); return mlpLogits; });
            yield return new Workload($"ortForward{batch}", threads, mlpSession.Run, mlpSession);
            var lenetSession = new OnnxRuntimeSession(lenet, LeNetResource, threads, batch, x);
            Check($"LeNet batch {batch}, {threads} intra-op threads", lenetSession, () => { lenet.Forward(x, lenetLogits); return lenetLogits; });
            yield return new Workload($"ortLenetForward{batch}", threads, lenetSession.Run, lenetSession);
        }
    }

    /// <summary>The inference workloads' pixels, the same for both engines.</summary>
    private static float[] InferenceInput(int batch) => FashionBenchmarks.Pixels(new Random(11 + batch), batch);

    private static void Check(string what, OnnxRuntimeSession session, Func<float[]> modelc)
    {
        session.Run();
        float[] mine = modelc(), theirs = session.Outputs[0];
        double largest = mine.Max(v => Math.Abs((double)v)), difference = mine.Zip(theirs, (p, q) => Math.Abs((double)p - q)).Max();
        AgreementChecks.Add($"ONNX Runtime vs ModelC logits, {what}: largest difference {difference:E1} (largest logit {largest:F2})");
    }

    private static int[] Labels(Random random, int count, int classes)
    {
        var y = new int[count];
        for (int i = 0; i < y.Length; i++) y[i] = random.Next(classes);
        return y;
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}

/// <summary>CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)); 0 elsewhere.</summary>
internal static class ThreadCpu
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds, Nanoseconds; }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private const int ThreadCpuClock = 3;

    public static long Nanoseconds()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        ClockGetTime(ThreadCpuClock, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
