using System;
using System.Threading;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Persistent worker threads that share large products with the calling thread. A product's output
/// columns are cut into fixed chunks (decided by the sizes alone) and every element is computed the
/// same way whichever thread takes its chunk, so results never depend on timing or thread count.
/// Threads claim chunks from a counter: the caller takes whatever a busy or descheduled worker has
/// not started, so a loaded machine costs at most one chunk of waiting. Posting work allocates
/// nothing; workers spin for a quarter of a millisecond after their last chunk and then sleep.
/// </summary>
public static unsafe class KernelThreads
{
    // How long an idle worker spins before it sleeps: enough to bridge the gaps between the products
    // of one step or of back-to-back inference calls (a batch-64 FashionMlp call spends about 20 us
    // outside its products: copying the input, the softmax), since waking a sleeping worker costs
    // more than most products that are split.
    private static readonly long s_spinTicks = System.Diagnostics.Stopwatch.Frequency / 4000;
    // How long the caller waits for chunks in flight on other threads with the shortest pause before
    // it backs off (SpinWait's growing pauses, then yields): a batch-1 layer's chunk is 1-3 us, and
    // a backed-off wait overshoots its end by as much again; a worker that takes much longer has
    // likely been descheduled, and yielding may let it run.
    private static readonly long s_tightWaitTicks = System.Diagnostics.Stopwatch.Frequency / 200_000;
    // Chunks per part: small enough that the caller can take over a stalled worker's share, and
    // that chunks of unequal size (784 columns in 16-column panels) still split evenly.
    private const int ChunksPerPart = 8;

    private static readonly object s_gate = new object();
    private static int s_parts = Math.Max(1, Math.Min(Environment.ProcessorCount, 2));
    private static Thread[] s_workers = Array.Empty<Thread>();
    private static readonly ManualResetEventSlim s_wake = new ManualResetEventSlim(false, spinCount: 1);

    // The posted product. Its fields are written before the claim word announces it and are read
    // only by a thread holding a claimed chunk, which keeps the caller from posting the next one.
    private static delegate*<void*, int, int, void> s_body;
    private static void* s_job;
    private static int s_n, s_chunk;
    private static int s_done;
    // [generation:32][chunk count:16][next chunk:16]: a claim can only succeed on the current product.
    private static long s_claim;
    private static long s_posted;
    private static Exception? s_failure;

    /// <summary>
    /// How many threads (the caller plus Parts - 1 workers) share a large product.
    /// Defaults to min(processor count, 2); 1 keeps everything on the calling thread.
    /// </summary>
    public static int Parts
    {
        get => s_parts;
        set
        {
            if (value < 1 || value > 64) throw new ArgumentOutOfRangeException(nameof(value), value, "Parts must be in [1, 64].");
            lock (s_gate) s_parts = value;
        }
    }

    /// <summary>
    /// Runs body(job, start, end) over [0, n) in chunks aligned to granule, on the calling thread
    /// and the workers. Returns false (running nothing) when another thread is using the workers.
    /// </summary>
    internal static bool TryRun<TJob>(delegate*<TJob*, int, int, void> body, TJob* job, int n, int granule, int parts, int chunksPerPart = ChunksPerPart) where TJob : unmanaged
    {
        if (!Monitor.TryEnter(s_gate)) return false;
        try
        {
            EnsureWorkers(parts - 1);
            int granules = (n + granule - 1) / granule;
            int chunks = Math.Min(granules, parts * chunksPerPart);
            s_body = (delegate*<void*, int, int, void>)body;
            s_job = job;
            s_n = n;
            s_chunk = (granules + chunks - 1) / chunks * granule;
            chunks = (n + s_chunk - 1) / s_chunk;
            Volatile.Write(ref s_done, 0);
            long generation = (s_claim >> 32) + 1;
            Interlocked.Exchange(ref s_claim, (generation << 32) | ((long)chunks << 16));
            Volatile.Write(ref s_posted, s_posted + 1);
            s_wake.Set();

            RunChunks();
            var spinner = new SpinWait();
            long waitSince = System.Diagnostics.Stopwatch.GetTimestamp();
            while (Volatile.Read(ref s_done) < chunks)
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() - waitSince < s_tightWaitTicks) Thread.SpinWait(1);
                else spinner.SpinOnce(sleep1Threshold: -1);
            }
            var failure = Interlocked.Exchange(ref s_failure, null);
            if (failure is not null) throw new InvalidOperationException("A kernel worker failed.", failure);
            return true;
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    private static void RunChunks()
    {
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            int chunk = (int)(claim & 0xFFFF), chunks = (int)((claim >> 16) & 0xFFFF);
            if (chunk >= chunks) return;
            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim) continue;
            int start = chunk * s_chunk;
            try { s_body(s_job, start, Math.Min(s_n, start + s_chunk)); }
            catch (Exception e) { Interlocked.CompareExchange(ref s_failure, e, null); }
            Interlocked.Increment(ref s_done);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count) return;
        var workers = new Thread[count];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (int w = s_workers.Length; w < count; w++)
        {
            workers[w] = new Thread(WorkerLoop) { IsBackground = true, Name = $"ModelC kernel worker {w + 1}" };
            workers[w].Start();
        }
        s_workers = workers;
    }

    private static void WorkerLoop()
    {
        long seen = 0;
        while (true)
        {
            long idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
            while (Volatile.Read(ref s_posted) == seen)
            {
                // The shortest pause between looks: a worker that notices a post late delays the whole product.
                if (System.Diagnostics.Stopwatch.GetTimestamp() - idleSince < s_spinTicks) { Thread.SpinWait(1); continue; }
                s_wake.Reset();
                if (Volatile.Read(ref s_posted) == seen) s_wake.Wait();
                idleSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            seen = Volatile.Read(ref s_posted);
            RunChunks();
        }
    }
}
