using System.Runtime.CompilerServices;
using System.Text.Json;
using Sciot.Server.Storage;

namespace Sciot.Server.Cluster;

/// <summary>
/// The cluster's inference records: one Garnet list that every replica appends to, each record naming the replica
/// that ran its tail. A record is acknowledged only after Garnet took it (written to its append-only file), so a
/// replica's death loses none, and statistics and the CSV export read the whole fleet's records from any replica.
/// Concurrent appends share the connection's pipeline, which is this store's group commit. The client's progress is
/// already in its grain's state, so only the record is written here. Reads page through the list in order and apply
/// the filter on this replica (a list has no index): their cost grows with the number of records stored.
/// </summary>
public sealed class GarnetInferenceLog(ClusterStore store, ReplicaIdentity replica) : IInferenceLog
{
    /// <summary>Records read per round trip.</summary>
    private const int Page = 2000;

    /// <summary>The one-process columns, then <c>replica</c>; <c>id</c> is the record's position in the fleet's list.</summary>
    public const string CsvHeader = InferenceCsv.Header + ",replica";

    public Task RecordAsync(InferenceRecord record, ClientProgress progress) =>
        store.Database.ListRightPushAsync(store.Key("inferences"), JsonSerializer.Serialize(new StoredInference(replica.Name, record)));

    public async Task WriteCsvAsync(InferenceFilter filter, Stream output, CancellationToken cancellationToken)
    {
        await using var csv = new InferenceCsvWriter(output, CsvHeader);
        await foreach (var (id, name, r) in ReadAsync(filter, cancellationToken))
        {
            await csv.WriteRowAsync([id, r.Time, r.ClientId, r.ModelName, r.Layer, r.DeviceSeconds, r.TransferSeconds, r.EdgeSeconds, r.Bytes,
                r.Prediction, name], cancellationToken);
        }
        await csv.CompleteAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<InferenceAggregate>> AggregateAsync(InferenceFilter filter, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<(string ClientId, string ModelName), Sum>();
        await foreach (var (_, _, r) in ReadAsync(filter, cancellationToken))
        {
            var key = (r.ClientId, r.ModelName);
            sums[key] = sums.TryGetValue(key, out var sum) ? sum.Add(r) : new Sum(1, r.DeviceSeconds, r.TransferSeconds, r.EdgeSeconds, r.Time, r.Time);
        }
        return sums.Select(s => new InferenceAggregate(s.Key.ClientId, s.Key.ModelName, s.Value.Count, s.Value.Device / s.Value.Count,
                s.Value.Transfer / s.Value.Count, s.Value.Edge / s.Value.Count, s.Value.First, s.Value.Last))
            .OrderBy(a => a.ClientId, StringComparer.Ordinal).ThenBy(a => a.ModelName, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<SplitCount>> SplitHistogramAsync(InferenceFilter filter, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string ClientId, string ModelName, int Layer), long>();
        await foreach (var (_, _, r) in ReadAsync(filter, cancellationToken))
        {
            var key = (r.ClientId, r.ModelName, r.Layer);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts.Select(c => new SplitCount(c.Key.ClientId, c.Key.ModelName, c.Key.Layer, c.Value))
            .OrderBy(c => c.ClientId, StringComparer.Ordinal).ThenBy(c => c.ModelName, StringComparer.Ordinal).ThenBy(c => c.Layer)
            .ToList();
    }

    /// <summary>The selected records, oldest first, with their 1-based position in the list and the replica that stored them.</summary>
    private async IAsyncEnumerable<(long Id, string Replica, InferenceRecord Record)> ReadAsync(InferenceFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = 0L;
        for (long start = 0; ; start += Page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await store.Database.ListRangeAsync(store.Key("inferences"), start, start + Page - 1);
            foreach (var value in page)
            {
                id++;
                var (name, record) = JsonSerializer.Deserialize<StoredInference>(value.ToString())!;
                if (filter.Matches(record))
                {
                    yield return (id, name, record);
                }
            }
            if (page.Length < Page)
            {
                yield break;
            }
        }
    }

    private sealed record StoredInference(string Replica, InferenceRecord Record);

    private readonly record struct Sum(long Count, double Device, double Transfer, double Edge, DateTimeOffset First, DateTimeOffset Last)
    {
        public Sum Add(InferenceRecord r) => new(Count + 1, Device + r.DeviceSeconds, Transfer + r.TransferSeconds, Edge + r.EdgeSeconds,
            r.Time < First ? r.Time : First, r.Time > Last ? r.Time : Last);
    }
}
