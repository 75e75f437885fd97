using Microsoft.Extensions.Options;

namespace Sciot.Server.Storage;

/// <summary>
/// Deletes inference records beyond <see cref="RetentionOptions"/> (too old, or beyond a client's newest N), off the
/// request path: a background loop, one batch per transaction, so commits of new results slot in between batches.
/// </summary>
public sealed class RecordRetention(SciotDatabase database, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RecordRetention> logger)
    : BackgroundService
{
    /// <summary>One pass over both limits as of <paramref name="now"/>; returns how many records it deleted.</summary>
    public long Prune(DateTimeOffset now)
    {
        var o = options.Value;
        long deleted = 0;
        if (o.MaxRecordAgeDays > 0)
        {
            var cutoff = now - TimeSpan.FromDays(o.MaxRecordAgeDays);
            for (int removed; (removed = database.DeleteInferencesBefore(cutoff, o.BatchSize)) > 0;)
            {
                deleted += removed;
            }
        }
        if (o.MaxRecordsPerClient > 0)
        {
            foreach (var (clientId, count) in database.ClientsWithMoreInferencesThan(o.MaxRecordsPerClient))
            {
                for (var excess = count - o.MaxRecordsPerClient; excess > 0;)
                {
                    var removed = database.DeleteOldestInferences(clientId, (int)Math.Min(excess, o.BatchSize));
                    if (removed == 0)
                    {
                        break;
                    }
                    excess -= removed;
                    deleted += removed;
                }
            }
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.MaxRecordAgeDays <= 0 && o.MaxRecordsPerClient <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.PruneIntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var deleted = Prune(time.GetUtcNow());
                    if (deleted > 0)
                    {
                        logger.LogInformation("Retention: deleted {Count} inference records", deleted);
                    }
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    // A failed pass leaves records for the next one; serving goes on.
                    logger.LogError(e, "Retention pass failed; retrying in {Seconds} s", o.PruneIntervalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
