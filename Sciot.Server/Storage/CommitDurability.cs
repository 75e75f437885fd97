namespace Sciot.Server.Storage;

/// <summary>
/// What an acknowledged result survives. The server replies only after the SQLite transaction holding the record
/// committed (group commit); this says how far that commit reaches.
/// </summary>
public enum CommitDurability
{
    /// <summary>
    /// WAL with <c>synchronous = NORMAL</c>: the commit is in the write-ahead log when the reply goes out, so it survives
    /// the server process dying (SIGKILL included, see <c>ServerCrashTests</c>); an OS crash or power loss can roll back
    /// the last commits. No fsync per commit.
    /// </summary>
    ProcessCrash,

    /// <summary>
    /// WAL with <c>synchronous = FULL</c>: the log is fsynced before the commit returns, so the record also survives an
    /// OS crash or power loss; one fsync per group-committed batch (0.35-0.45 ms on this machine's disk).
    /// </summary>
    PowerLoss,
}
