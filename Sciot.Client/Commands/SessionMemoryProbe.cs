using System.Diagnostics;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;

namespace Sciot.Client.Commands;

/// <summary>
/// Memory a cached session holds, from the process's point of view: every tail session of a fresh
/// <see cref="SplitModel"/> is created and run once (a cached session has run, so its ORT arena is allocated), and the
/// growth of the process is divided by the number of sessions. Many sessions are measured together because one
/// session's growth is within the noise of the allocator. On Linux <see cref="Process.PrivateMemorySize64"/> is VmData,
/// private address space whether touched or not, so it is an upper bound; the resident set growth is reported beside it.
/// </summary>
public static class SessionMemoryProbe
{
    /// <param name="fresh">A SplitModel that has no session yet; the caller keeps it alive (see <see cref="ModelBenchmark"/>).</param>
    /// <param name="liveByCut">Live tensors of cuts 0..L-2, computed beforehand so they are not counted.</param>
    public static SessionMemoryResult Measure(SplitModel fresh, IReadOnlyList<IReadOnlyList<NamedTensor>> liveByCut)
    {
        var createdBefore = fresh.Sessions.CreatedCount;
        var before = Snapshot();
        for (var k = 0; k < liveByCut.Count; k++)
        {
            fresh.RunTail(k, liveByCut[k]);
        }
        var after = Snapshot();
        return new SessionMemoryResult(
            (int)(fresh.Sessions.CreatedCount - createdBefore),
            after.Private - before.Private,
            after.WorkingSet - before.WorkingSet,
            after.Managed - before.Managed);
    }

    private static (long Private, long WorkingSet, long Managed) Snapshot()
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return (process.PrivateMemorySize64, process.WorkingSet64, managed);
    }
}

/// <summary>Growth of the process (private bytes, resident set) and of the managed heap for <see cref="Sessions"/> sessions.</summary>
public sealed record SessionMemoryResult(int Sessions, long PrivateBytes, long WorkingSetBytes, long ManagedBytes)
{
    public double PrivateMbPerSession => PerSession(PrivateBytes);
    public double WorkingSetMbPerSession => PerSession(WorkingSetBytes);
    public double ManagedMbPerSession => PerSession(ManagedBytes);

    private double PerSession(long bytes) => Sessions == 0 ? 0 : bytes / (1024.0 * 1024.0) / Sessions;
}
