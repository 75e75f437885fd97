using System.ComponentModel.DataAnnotations;

namespace Sciot.Server.Storage;

/// <summary>
/// <c>Sciot:Server:Retention</c>: how many inference records are kept. Both limits apply when both are set; 0 turns
/// a limit off. Pruning runs in the background every <see cref="PruneIntervalSeconds"/>, <see cref="BatchSize"/>
/// rows per transaction, so result commits are never held up for long.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Sciot:Server:Retention";

    /// <summary>Records older than this many days are deleted; 0 = kept whatever their age.</summary>
    [Range(0, 36_500)]
    public double MaxRecordAgeDays { get; set; } = 30;

    /// <summary>Each client keeps at most this many records (its newest); 0 = no limit per client.</summary>
    [Range(0, int.MaxValue)]
    public int MaxRecordsPerClient { get; set; } = 100_000;

    [Range(1, 86_400)]
    public double PruneIntervalSeconds { get; set; } = 300;

    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 5_000;
}
