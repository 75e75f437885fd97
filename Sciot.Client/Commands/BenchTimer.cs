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
    /// Alternates <paramref name="a"/> and <paramref name="b"/> so that drift on a shared machine (other processes,
    /// clock changes, GC) hits both series alike and their ratio stays fair. The order flips every round so that
    /// neither operation always runs on the caches the other one just warmed.
    /// </summary>
    public static (double[] A, double[] B) Interleaved(Action a, Action b, int warmup, int runs)
    {
        for (var i = 0; i < warmup; i++)
        {
            a();
            b();
        }
        var timesA = new double[runs];
        var timesB = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            if (i % 2 == 0)
            {
                timesA[i] = Time(a);
                timesB[i] = Time(b);
            }
            else
            {
                timesB[i] = Time(b);
                timesA[i] = Time(a);
            }
        }
        return (timesA, timesB);
    }

    public static double Time(Action operation)
    {
        var start = Stopwatch.GetTimestamp();
        operation();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
