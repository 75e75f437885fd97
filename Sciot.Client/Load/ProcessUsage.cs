using System.Globalization;

namespace Sciot.Client.Load;

/// <summary>Resident memory and CPU time of a process on this machine, read from <c>/proc</c> (Linux only; null elsewhere).</summary>
public readonly record struct ProcessUsage(long ResidentBytes, long PeakResidentBytes, double CpuSeconds)
{
    /// <summary>Clock ticks per second of <c>/proc/PID/stat</c> times (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static ProcessUsage? Read(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            // Fields after the command name, which is in parentheses and may contain spaces.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return new ProcessUsage(Kilobytes(status, "VmRSS:") * 1024, Kilobytes(status, "VmHWM:") * 1024, ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long Kilobytes(string[] status, string key) =>
        long.Parse(status.Single(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
