using Microsoft.Extensions.DependencyInjection;
using Sciot.Server.Storage;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Retention;

/// <summary>Records beyond the retention limits are deleted in batches; exactly the ones within them remain.</summary>
public sealed class RecordRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_older_than_the_age_limit_are_deleted_in_batches_and_the_newer_ones_kept()
    {
        await using var factory = Server(maxAgeDays: "1", maxPerClient: "0");
        var database = factory.Services.GetRequiredService<SciotDatabase>();
        Store(database, "aged", count: 10, at: Now - TimeSpan.FromDays(3));
        Store(database, "aged", count: 5, at: Now - TimeSpan.FromHours(12));
        Store(database, "other", count: 4, at: Now - TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));

        var deleted = factory.Services.GetRequiredService<RecordRetention>().Prune(Now);

        Assert.Equal(14, deleted);
        Assert.Equal(5, database.CountInferences("aged"));
        Assert.Equal(0, database.CountInferences("other"));
    }

    [Fact]
    public async Task The_age_limit_finds_old_records_through_the_index_by_time_not_by_scanning_the_table()
    {
        await using var factory = Server(maxAgeDays: "1", maxPerClient: "0");
        var database = factory.Services.GetRequiredService<SciotDatabase>();

        var plan = database.QueryPlan(SciotDatabase.DeleteInferencesBeforeSql);

        // Every pass runs this under the lock each commit needs; a table scan there would stall results on a big table.
        Assert.Contains(plan, step => step.Contains("inferences_by_time"));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN inferences", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_client_keeps_exactly_its_newest_records_up_to_the_limit()
    {
        await using var factory = Server(maxAgeDays: "0", maxPerClient: "5");
        var database = factory.Services.GetRequiredService<SciotDatabase>();
        Store(database, "chatty", count: 17, at: Now);
        Store(database, "quiet", count: 3, at: Now);

        var deleted = factory.Services.GetRequiredService<RecordRetention>().Prune(Now);

        Assert.Equal(12, deleted);
        Assert.Equal(5, database.CountInferences("chatty"));
        Assert.Equal(3, database.CountInferences("quiet"));
        var kept = database.SplitHistogram(InferenceFilter.All).Where(r => r.ClientId == "chatty").Select(r => r.Layer).ToArray();
        // Layer = sequence number here: the newest five (12..16) remain.
        Assert.Equal([12, 13, 14, 15, 16], kept);
        Assert.Equal(0, factory.Services.GetRequiredService<RecordRetention>().Prune(Now));
    }

    private static void Store(SciotDatabase database, string clientId, int count, DateTimeOffset at) =>
        database.CommitBatch(Enumerable.Range(0, count).Select(i => (
            new InferenceRecord(at, clientId, "fomo_96x96", i, 0.1, 0.01, 0.01, 100, "{}", i),
            new ClientProgress(clientId, "fomo_96x96", at, i + 1, "{}"))).ToList());

    private static SciotServerFactory Server(string maxAgeDays, string maxPerClient) => new(settings: new Dictionary<string, string?>
    {
        ["Sciot:Server:Retention:MaxRecordAgeDays"] = maxAgeDays,
        ["Sciot:Server:Retention:MaxRecordsPerClient"] = maxPerClient,
        // Batches smaller than the excess, so a pass takes several transactions.
        ["Sciot:Server:Retention:BatchSize"] = "3",
        ["Sciot:Server:Retention:PruneIntervalSeconds"] = "86400",
    });
}
