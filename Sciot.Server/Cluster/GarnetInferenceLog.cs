using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Sciot.Server.Storage;
using StackExchange.Redis;

namespace Sciot.Server.Cluster;

/// <summary>
/// The cluster's inference records: one Garnet list that every replica appends to, each record naming the replica
/// that ran its tail. A record is acknowledged only after Garnet took it (written to its append-only file), so a
/// replica's death loses none, and statistics and the CSV export read the whole fleet's records from any replica.
/// Concurrent appends share the connection's pipeline, which is this store's group commit. The client's progress is
/// already in its grain's state, so only the record is written here. With the record, in the same transaction, go
/// running totals per client and model (count, time sums, first and last time) and per cut: statistics without a time
/// range (what the fleet page polls every 2 s) read those, in proportion to the clients, not the records. The CSV
/// export and time-ranged statistics page through the list in order and apply the filter on this replica (a list has
/// no index): their cost grows with the number of records stored.
/// </summary>
public sealed class GarnetInferenceLog(ClusterStore store, ReplicaIdentity replica) : IInferenceLog
{
    /// <summary>Records read per round trip.</summary>
    private const int Page = 2000;

    /// <summary>The one-process columns, then <c>replica</c>; <c>id</c> is the record's position in the fleet's list.</summary>
    public const string CsvHeader = InferenceCsv.Header + ",replica";

    /// <summary>Separates client, model and cut in a totals field; client ids and model names hold no control characters.</summary>
    private const char Separator = '\u001f';

    private RedisKey Records => store.Key("inferences");

    private RedisKey Totals(string column) => store.Key($"inference-totals:{column}");

    public async Task RecordAsync(InferenceRecord record, ClientProgress progress)
    {
        var field = $"{record.ClientId}{Separator}{record.ModelName}";
        var time = record.Time.ToString("O");
        var transaction = store.Database.CreateTransaction();
        _ = transaction.ListRightPushAsync(Records, JsonSerializer.Serialize(new StoredInference(replica.Name, record)));
        _ = transaction.HashIncrementAsync(Totals("count"), field);
        _ = transaction.HashIncrementAsync(Totals("device"), field, record.DeviceSeconds);
        _ = transaction.HashIncrementAsync(Totals("transfer"), field, record.TransferSeconds);
        _ = transaction.HashIncrementAsync(Totals("edge"), field, record.EdgeSeconds);
        // A device uploads its next result only after the reply to the last, so its records arrive in time order: the first
        // write is its first record and the latest its last.
        _ = transaction.HashSetAsync(Totals("first"), field, time, When.NotExists);
        _ = transaction.HashSetAsync(Totals("last"), field, time);
        _ = transaction.HashIncrementAsync(Totals("splits"), $"{field}{Separator}{record.Layer}");
        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"Garnet did not store the record of client '{record.ClientId}'");
        }
    }

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
        if (filter.IsTimeless)
        {
            var columns = await Task.WhenAll(new[] { "count", "device", "transfer", "edge", "first", "last" }.Select(ReadTotalsAsync));
            foreach (var (field, count) in columns[0])
            {
                var (clientId, modelName) = SplitField(field);
                if (filter.Selects(clientId, modelName))
                {
                    sums[(clientId, modelName)] = new Sum(long.Parse(count, CultureInfo.InvariantCulture), Number(columns[1], field),
                        Number(columns[2], field), Number(columns[3], field), DateTimeOffset.Parse(columns[4][field], CultureInfo.InvariantCulture),
                        DateTimeOffset.Parse(columns[5][field], CultureInfo.InvariantCulture));
                }
            }
        }
        else
        {
            await foreach (var (_, _, r) in ReadAsync(filter, cancellationToken))
            {
                var key = (r.ClientId, r.ModelName);
                sums[key] = sums.TryGetValue(key, out var sum) ? sum.Add(r) : new Sum(1, r.DeviceSeconds, r.TransferSeconds, r.EdgeSeconds, r.Time, r.Time);
            }
        }
        return sums.Select(s => new InferenceAggregate(s.Key.ClientId, s.Key.ModelName, s.Value.Count, s.Value.Device / s.Value.Count,
                s.Value.Transfer / s.Value.Count, s.Value.Edge / s.Value.Count, s.Value.First, s.Value.Last))
            .OrderBy(a => a.ClientId, StringComparer.Ordinal).ThenBy(a => a.ModelName, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<SplitCount>> SplitHistogramAsync(InferenceFilter filter, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string ClientId, string ModelName, int Layer), long>();
        if (filter.IsTimeless)
        {
            foreach (var (field, count) in await ReadTotalsAsync("splits"))
            {
                var cut = field.LastIndexOf(Separator);
                var (clientId, modelName) = SplitField(field[..cut]);
                if (filter.Selects(clientId, modelName))
                {
                    counts[(clientId, modelName, int.Parse(field[(cut + 1)..], CultureInfo.InvariantCulture))] = long.Parse(count, CultureInfo.InvariantCulture);
                }
            }
        }
        else
        {
            await foreach (var (_, _, r) in ReadAsync(filter, cancellationToken))
            {
                var key = (r.ClientId, r.ModelName, r.Layer);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        return counts.Select(c => new SplitCount(c.Key.ClientId, c.Key.ModelName, c.Key.Layer, c.Value))
            .OrderBy(c => c.ClientId, StringComparer.Ordinal).ThenBy(c => c.ModelName, StringComparer.Ordinal).ThenBy(c => c.Layer)
            .ToList();
    }

    private async Task<Dictionary<string, string>> ReadTotalsAsync(string column) =>
        (await store.Database.HashGetAllAsync(Totals(column))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);

    private static (string ClientId, string ModelName) SplitField(string field)
    {
        var at = field.IndexOf(Separator);
        return (field[..at], field[(at + 1)..]);
    }

    private static double Number(Dictionary<string, string> column, string field) => double.Parse(column[field], CultureInfo.InvariantCulture);

    /// <summary>The selected records, oldest first, with their 1-based position in the list and the replica that stored them.</summary>
    private async IAsyncEnumerable<(long Id, string Replica, InferenceRecord Record)> ReadAsync(InferenceFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = 0L;
        for (long start = 0; ; start += Page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await store.Database.ListRangeAsync(Records, start, start + Page - 1);
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
