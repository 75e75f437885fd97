using System.Diagnostics;

namespace Sciot.Client.Commands;

/// <summary>Runs operations repeatedly after a warm-up and returns each run's wall time in milliseconds.</summary>
public static class BenchTimer
{
    public static double[] Series(Action operation, int warmup, int runs)
    {
        for (var i = 0; i < warmup; i++)
        {
            operation();
        }
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            times[i] = Time(operation);
        }
        return times;
    }

    /// <summary>
    /// Runs the operations in turn, round after round, so that drift on a shared machine (other processes, clock
    /// changes, GC) hits every series alike and their ratios stay fair. The order rotates every round so that no
    /// operation always runs on the caches another one just warmed.
    /// </summary>
    public static double[][] Interleaved(int warmup, int runs, params Action[] operations) =>
        // Synchronous operations complete every task at once, so waiting here never blocks.
        InterleavedAsync(warmup, runs, operations.Select(Synchronous).ToArray()).GetAwaiter().GetResult();

    /// <inheritdoc cref="Interleaved"/>
    public static async Task<double[][]> InterleavedAsync(int warmup, int runs, params Func<Task>[] operations)
    {
        for (var i = 0; i < warmup; i++)
        {
            foreach (var operation in operations)
            {
                await operation();
            }
        }
        var times = operations.Select(_ => new double[runs]).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var j = 0; j < operations.Length; j++)
            {
                var o = (i + j) % operations.Length;
                times[o][i] = await TimeAsync(operations[o]);
            }
        }
        return times;
    }

    /// <summary>
    /// Runs <paramref name="count"/> operations on <paramref name="workers"/> concurrent loops that share one counter,
    /// so the total is exact however the work spreads over the loops; the argument is the loop's index. Also takes
    /// this process's CPU time over the run: when the work happens in another process on the same machine, what this
    /// one burns meanwhile is taken from it.
    /// </summary>
    public static async Task<ConcurrentRun> ConcurrentAsync(int count, int workers, Func<int, Task> operation)
    {
        var times = new double[count];
        var next = -1;
        var cpuBefore = ProcessorTime();
        var start = Stopwatch.GetTimestamp();
        // Task.Run: a synchronous operation would otherwise run every loop on the caller's thread, one after another.
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                times[i] = await TimeAsync(() => operation(w));
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new ConcurrentRun(workers, times, elapsed, (ProcessorTime() - cpuBefore) / elapsed);
    }

    public static double Time(Action operation)
    {
        var start = Stopwatch.GetTimestamp();
        operation();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    public static async Task<double> TimeAsync(Func<Task> operation)
    {
        var start = Stopwatch.GetTimestamp();
        await operation();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static Func<Task> Synchronous(Action operation) => () =>
    {
        operation();
        return Task.CompletedTask;
    };
}
