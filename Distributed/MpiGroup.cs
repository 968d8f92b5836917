using System;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Threading;
using ModelC.Runtime.Kernels;
using ModelC.Runtime.Training;
using Mpi = MPI.Unsafe;

namespace ModelC.Distributed;

/// <summary>
/// The ranks of an <c>mpiexec</c> job as an <see cref="ITrainingGroup"/>: pass it as
/// <see cref="TrainerOptions.Group"/> and each rank trains one replica. Gradients are summed by a
/// ring all-reduce written here on MPI's point-to-point calls, so the order of every addition is
/// fixed and every rank gets the same bits. Every collective is bounded by <see cref="Timeout"/>:
/// a rank that fails or stalls ends the whole job with a message instead of leaving it hanging.
/// MPI starts once per process; dispose the group at the end of the program.
/// </summary>
public sealed unsafe class MpiGroup : ITrainingGroup, IDisposable
{
    /// <summary>The default bound on one collective: far above any step or validation pass of the samples.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private const int AbortCode = 70;
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(300);
    private const int Tag = 7;
    private static readonly object Gate = new();
    private static bool started;

    private readonly int communicator;
    private readonly CollectiveWatchdog watchdog;
    private float[] incoming = [];
    private int finished;

    private MpiGroup(int communicator, int rank, int size, TimeSpan timeout)
    {
        this.communicator = communicator;
        Rank = rank;
        Size = size;
        watchdog = new CollectiveWatchdog(timeout, operation => Abort(
            $"rank {rank} of {size} waited more than {timeout.TotalSeconds.ToString("G", CultureInfo.InvariantCulture)} s in {operation} for the other processes; "
            + "one of them has failed or stalled."));
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            Abort($"rank {rank} of {size} failed: {(e.ExceptionObject as Exception)?.Message ?? e.ExceptionObject?.ToString()}");
    }

    public int Rank { get; }

    public int Size { get; }

    /// <summary>Whether this is rank 0, the one that writes files and prints.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>The longest any rank waits inside one collective before ending the job.</summary>
    public TimeSpan Timeout => watchdog.Timeout;

    /// <summary>Starts MPI when this process was launched by <c>mpiexec</c> (<see cref="MpiLaunch.IsLaunched"/>); null otherwise, loading nothing.</summary>
    public static MpiGroup? StartIfLaunched(TimeSpan? timeout = null, int? kernelThreads = null) =>
        MpiLaunch.IsLaunched ? Start(timeout, kernelThreads) : null;

    /// <summary>
    /// Starts MPI (MPICH, with threads allowed so that the watchdog can end the job) and joins
    /// every rank of the job. Unless told otherwise with <paramref name="kernelThreads"/>, each rank
    /// keeps to its share of the machine's cores: <see cref="KernelThreads.Parts"/> becomes the
    /// processor count over the ranks on this machine, at least 1.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Launched by Open MPI, whose ABI MPI.NET cannot use.</exception>
    /// <exception cref="InvalidOperationException">MPI was started before in this process.</exception>
    public static MpiGroup Start(TimeSpan? timeout = null, int? kernelThreads = null)
    {
        TimeSpan bound = timeout ?? DefaultTimeout;
        if (bound <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The collective timeout must be positive.");
        }

        if (MpiLaunch.IsOpenMpi)
        {
            throw new PlatformNotSupportedException(
                "This process was launched by Open MPI's mpiexec; ModelC.Distributed runs on MPICH (apt-get install mpich): use /usr/bin/mpiexec.mpich.");
        }

        lock (Gate)
        {
            if (started)
            {
                throw new InvalidOperationException("MPI was already started in this process; keep the first MpiGroup for the whole program.");
            }

            started = true;
        }

        MpichLibrary.Install();
        KernelThreads.Parts = kernelThreads ?? Math.Max(1, Environment.ProcessorCount / MpiLaunch.RanksOnThisNode);
        return Join(bound);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static MpiGroup Join(TimeSpan timeout)
    {
        int argc = 0;
        byte** argv = null;
        int provided = 0;
        Check(Mpi.MPI_Init_thread(ref argc, ref argv, Mpi.MPI_THREAD_MULTIPLE, out provided), "MPI_Init_thread");
        if (provided < Mpi.MPI_THREAD_MULTIPLE)
        {
            throw new PlatformNotSupportedException(
                $"The MPI library offers thread level {provided}; ModelC.Distributed needs MPI_THREAD_MULTIPLE so that a timed-out rank can end the job.");
        }

        // A communicator of its own keeps the trainer's messages apart from any the program sends.
        int communicator = 0;
        Check(Mpi.MPI_Comm_dup(Mpi.MPI_COMM_WORLD, out communicator), "MPI_Comm_dup");
        int rank = 0, size = 0;
        Check(Mpi.MPI_Comm_rank(communicator, out rank), "MPI_Comm_rank");
        Check(Mpi.MPI_Comm_size(communicator, out size), "MPI_Comm_size");
        return new MpiGroup(communicator, rank, size, timeout);
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values)
    {
        if (Size == 1 || values.IsEmpty)
        {
            return;
        }

        watchdog.Enter("a broadcast from rank 0");
        fixed (float* data = values)
        {
            Check(Mpi.MPI_Bcast((IntPtr)data, values.Length, Mpi.MPI_FLOAT, 0, communicator), "MPI_Bcast");
        }

        watchdog.Exit();
    }

    /// <summary>
    /// A ring all-reduce: the span is cut into <see cref="Size"/> chunks; in Size - 1 steps every
    /// rank passes one chunk to its right neighbour and adds the one arriving from its left, until
    /// each chunk's sum is complete on one rank (a reduce-scatter); Size - 1 more steps pass the
    /// finished chunks round (an all-gather). Each rank sends and receives 2 (Size - 1) / Size of the
    /// span, the least any all-reduce can. Chunk c is added up in rank order starting at rank c,
    /// and every rank ends with copies of the same sums.
    /// </summary>
    public void SumAcrossRanks(Span<float> values)
    {
        if (Size == 1 || values.IsEmpty)
        {
            return;
        }

        int n = Size;
        int right = (Rank + 1) % n;
        int left = (Rank + n - 1) % n;
        if (incoming.Length < (values.Length / n) + 1)
        {
            incoming = new float[(values.Length / n) + 1];
        }

        watchdog.Enter("the sum across ranks (all-reduce)");
        fixed (float* data = values)
        fixed (float* scratch = incoming)
        {
            for (int step = 0; step < n - 1; step++)
            {
                (int sendStart, int sendCount) = Chunk(values.Length, Modulo(Rank - step, n));
                (int receiveStart, int receiveCount) = Chunk(values.Length, Modulo(Rank - step - 1, n));
                SendReceive(data + sendStart, sendCount, right, scratch, receiveCount, left);
                var sum = new Span<float>(data + receiveStart, receiveCount);
                TensorPrimitives.Add(sum, new ReadOnlySpan<float>(scratch, receiveCount), sum);
            }

            for (int step = 0; step < n - 1; step++)
            {
                (int sendStart, int sendCount) = Chunk(values.Length, Modulo(Rank + 1 - step, n));
                (int receiveStart, int receiveCount) = Chunk(values.Length, Modulo(Rank - step, n));
                SendReceive(data + sendStart, sendCount, right, data + receiveStart, receiveCount, left);
            }
        }

        watchdog.Exit();
    }

    /// <summary>Overwrites every rank's <paramref name="values"/> with rank 0's.</summary>
    public void Broadcast(Span<double> values)
    {
        if (Size == 1 || values.IsEmpty)
        {
            return;
        }

        watchdog.Enter("a broadcast from rank 0");
        fixed (double* data = values)
        {
            Check(Mpi.MPI_Bcast((IntPtr)data, values.Length, Mpi.MPI_DOUBLE, 0, communicator), "MPI_Bcast");
        }

        watchdog.Exit();
    }

    /// <summary>
    /// Collects every rank's <paramref name="mine"/> (the same length on every rank) on rank 0, in
    /// rank order, into <paramref name="all"/> (Size times as long; read only on rank 0).
    /// </summary>
    public void GatherOnRankZero(ReadOnlySpan<double> mine, Span<double> all)
    {
        if (IsRoot && all.Length != mine.Length * Size)
        {
            throw new ArgumentException($"Rank 0 gathers {Size} x {mine.Length} values but was given room for {all.Length}.", nameof(all));
        }

        watchdog.Enter("a gather on rank 0");
        fixed (double* send = mine)
        fixed (double* receive = all)
        {
            Check(Mpi.MPI_Gather((IntPtr)send, mine.Length, Mpi.MPI_DOUBLE, (IntPtr)receive, mine.Length, Mpi.MPI_DOUBLE, 0, communicator), "MPI_Gather");
        }

        watchdog.Exit();
    }

    /// <summary>Waits until every rank arrives.</summary>
    public void Barrier()
    {
        watchdog.Enter("a barrier");
        Check(Mpi.MPI_Barrier(communicator), "MPI_Barrier");
        watchdog.Exit();
    }

    /// <summary>
    /// Runs a rank's work. If it throws, prints which rank failed and why, and ends every rank of
    /// the job (MPI_Abort) instead of leaving them waiting in the next collective.
    /// </summary>
    /// <returns>The work's exit code; a non-zero code on one rank ends all of them too.</returns>
    public int Run(Func<int> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        int code;
        try
        {
            code = work();
        }
        catch (Exception exception)
        {
            Abort($"rank {Rank} of {Size} failed: {exception.GetType().Name}: {exception.Message}");
            throw;
        }

        if (code != 0)
        {
            Abort($"rank {Rank} of {Size} ended with exit code {code}.", code);
        }

        return code;
    }

    /// <summary>Prints <paramref name="message"/> on standard error and ends every process of the job.</summary>
    public void Abort(string message, int exitCode = AbortCode)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"modelc: {message.TrimEnd('.')}. Ending all {Size} processes.");
        Console.Error.Flush();
        // MPI_Abort makes the launcher kill every process at once; on a busy machine it could do so
        // before its proxy had forwarded the message above, which then never reached the user.
        Thread.Sleep(AbortGrace);
        Mpi.MPI_Abort(Mpi.MPI_COMM_WORLD, exitCode);
        Environment.Exit(exitCode);
    }

    /// <summary>Waits for every rank (bounded by the timeout), then shuts MPI down.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref finished, 1) != 0)
        {
            return;
        }

        Barrier();
        watchdog.Dispose();
        int communicatorToFree = communicator;
        Mpi.MPI_Comm_free(ref communicatorToFree);
        Mpi.MPI_Finalize();
    }

    private void SendReceive(float* send, int sendCount, int destination, float* receive, int receiveCount, int source)
    {
        Check(
            Mpi.MPI_Sendrecv(
                (IntPtr)send, sendCount, Mpi.MPI_FLOAT, destination, Tag,
                (IntPtr)receive, receiveCount, Mpi.MPI_FLOAT, source, Tag, communicator, out _),
            "MPI_Sendrecv");
    }

    /// <summary>Chunk <paramref name="index"/> of <see cref="Size"/> near-equal runs of a span of <paramref name="length"/>.</summary>
    private (int Start, int Count) Chunk(int length, int index)
    {
        int start = (int)((long)length * index / Size);
        int end = (int)((long)length * (index + 1) / Size);
        return (start, end - start);
    }

    private static int Modulo(int value, int n) => ((value % n) + n) % n;

    private static void Check(int code, string call)
    {
        if (code != Mpi.MPI_SUCCESS)
        {
            throw new InvalidOperationException($"{call} failed with MPI error code {code}.");
        }
    }
}
