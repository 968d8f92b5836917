using System;
using System.Threading;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// Persistent worker threads that share large products with the calling thread. A product is cut
/// into a fixed number of column ranges (one per part, decided by the sizes alone), so which thread
/// computes an element never changes what it computes. Posting work allocates nothing; workers spin
/// briefly between the products of one step and then sleep.
/// </summary>
public static unsafe class KernelThreads
{
    // About 50 microseconds of spinning: long enough to bridge the gaps between a step's products.
    private const int SpinIterations = 2000;

    private static readonly object s_gate = new object();
    private static Worker[] s_workers = Array.Empty<Worker>();
    private static int s_parts = Math.Max(1, Math.Min(Environment.ProcessorCount, 2));

    /// <summary>
    /// How many parts a large product is split into (the calling thread plus Parts - 1 workers).
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
    /// Runs body(job, start, end) over [0, n) cut into parts ranges aligned to granule, the first on
    /// the calling thread. Returns false (running nothing) when another thread is using the workers.
    /// </summary>
    internal static bool TryRun<TJob>(delegate*<TJob*, int, int, void> body, TJob* job, int n, int granule, int parts) where TJob : unmanaged
    {
        if (!Monitor.TryEnter(s_gate)) return false;
        try
        {
            EnsureWorkers(parts - 1);
            int chunk = ((n + parts - 1) / parts + granule - 1) / granule * granule;
            int used = 0;
            for (int w = 0; w < parts - 1; w++)
            {
                int start = (w + 1) * chunk;
                if (start >= n) break;
                s_workers[w].Post((delegate*<void*, int, int, void>)body, job, start, Math.Min(n, start + chunk));
                used++;
            }
            body(job, 0, Math.Min(n, chunk));
            for (int w = 0; w < used; w++) s_workers[w].Join();
            return true;
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count) return;
        var workers = new Worker[count];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (int w = s_workers.Length; w < count; w++) workers[w] = new Worker(w);
        s_workers = workers;
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new ManualResetEventSlim(false, spinCount: 1);
        private delegate*<void*, int, int, void> _body;
        private void* _job;
        private int _start, _end;
        private long _posted, _completed;
        private Exception? _failure;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"ModelC kernel worker {index + 1}" };
            thread.Start();
        }

        public void Post(delegate*<void*, int, int, void> body, void* job, int start, int end)
        {
            _body = body; _job = job; _start = start; _end = end;
            Volatile.Write(ref _posted, _posted + 1);
            _wake.Set();
        }

        public void Join()
        {
            long posted = _posted;
            var spinner = new SpinWait();
            while (Volatile.Read(ref _completed) != posted) spinner.SpinOnce(sleep1Threshold: -1);
            var failure = _failure;
            if (failure is not null)
            {
                _failure = null;
                throw new InvalidOperationException("A kernel worker failed.", failure);
            }
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                int spins = 0;
                while (Volatile.Read(ref _posted) == seen)
                {
                    if (++spins < SpinIterations) { Thread.SpinWait(20); continue; }
                    _wake.Reset();
                    if (Volatile.Read(ref _posted) == seen) _wake.Wait();
                    spins = 0;
                }
                seen = Volatile.Read(ref _posted);
                try { _body(_job, _start, _end); }
                catch (Exception e) { _failure = e; }
                Volatile.Write(ref _completed, seen);
            }
        }
    }
}
