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
    public static double[][] Interleaved(int warmup, int runs, params Action[] operations)
    {
        for (var i = 0; i < warmup; i++)
        {
            foreach (var operation in operations)
            {
                operation();
            }
        }
        var times = operations.Select(_ => new double[runs]).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var j = 0; j < operations.Length; j++)
            {
                var o = (i + j) % operations.Length;
                times[o][i] = Time(operations[o]);
            }
        }
        return times;
    }

    public static double Time(Action operation)
    {
        var start = Stopwatch.GetTimestamp();
        operation();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
