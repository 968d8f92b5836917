using System;
using System.Diagnostics;
using System.Threading;

namespace ModelC.Distributed;

/// <summary>
/// Bounds how long a rank may wait inside a collective. MPI's collectives block until every rank
/// arrives, so a rank that crashed, threw or stalled would leave the others waiting forever; a
/// background thread sees a collective outlast the timeout and calls <c>onTimeout</c>, which ends
/// the job. Entering and leaving a collective are two memory writes and allocate nothing.
/// </summary>
internal sealed class CollectiveWatchdog : IDisposable
{
    private readonly TimeSpan timeout;
    private readonly Action<string> onTimeout;
    private readonly Thread thread;
    private long enteredAt;
    private string operation = "";
    private volatile bool stopped;

    /// <param name="timeout">The longest wait inside one collective.</param>
    /// <param name="onTimeout">Told which collective timed out; expected not to return.</param>
    public CollectiveWatchdog(TimeSpan timeout, Action<string> onTimeout)
    {
        this.timeout = timeout;
        this.onTimeout = onTimeout;
        thread = new Thread(Watch) { IsBackground = true, Name = "ModelC MPI watchdog" };
        thread.Start();
    }

    public TimeSpan Timeout => timeout;

    /// <summary>Marks the start of a collective named <paramref name="name"/> (a constant: nothing is formatted here).</summary>
    public void Enter(string name)
    {
        operation = name;
        Volatile.Write(ref enteredAt, Stopwatch.GetTimestamp());
    }

    public void Exit() => Volatile.Write(ref enteredAt, 0);

    public void Dispose() => stopped = true;

    private void Watch()
    {
        // Checking ten times per timeout keeps the overshoot under a tenth, and an idle thread cheap.
        TimeSpan poll = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        while (!stopped)
        {
            Thread.Sleep(poll);
            long started = Volatile.Read(ref enteredAt);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > timeout && !stopped)
            {
                onTimeout(operation);
                return;
            }
        }
    }
}
