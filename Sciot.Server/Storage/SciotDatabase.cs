using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Sciot.Server.Storage;

/// <summary>
/// SQLite persistence: clients with their sticky assignments and statistics (one row each), every inference record.
/// One connection guarded by a lock: writes are small, and WAL keeps readers off the writer's back. Results arrive
/// in batches (<see cref="InferenceRecorder"/>), each batch one transaction.
/// </summary>
public sealed class SciotDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;
    private readonly string _readOnlyConnectionString;

    /// <param name="durability">What a commit survives; see <see cref="CommitDurability"/>.</param>
    public SciotDatabase(string dataFolder, CommitDurability durability = CommitDurability.ProcessCrash)
    {
        Directory.CreateDirectory(dataFolder);
        FilePath = Path.Combine(dataFolder, "sciot.db");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        _readOnlyConnectionString = ReadOnlyConnectionString(FilePath);
        _connection.Open();
        Execute($"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = {(durability == CommitDurability.PowerLoss ? "FULL" : "NORMAL")};
            CREATE TABLE IF NOT EXISTS clients (
                client_id TEXT PRIMARY KEY,
                model_name TEXT NOT NULL,
                capabilities TEXT,
                remote_address TEXT,
                registered_at TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                inference_count INTEGER NOT NULL DEFAULT 0,
                statistics TEXT);
            CREATE TABLE IF NOT EXISTS inferences (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time TEXT NOT NULL,
                client_id TEXT NOT NULL,
                model_name TEXT NOT NULL,
                layer INTEGER NOT NULL,
                device_seconds REAL NOT NULL,
                transfer_seconds REAL NOT NULL,
                edge_seconds REAL NOT NULL,
                bytes INTEGER NOT NULL,
                prediction TEXT NOT NULL,
                message_id INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS inferences_by_client ON inferences (client_id, id);
            CREATE INDEX IF NOT EXISTS inferences_by_time ON inferences (time);
            """);
        Migrate();
    }

    public string FilePath { get; }

    /// <summary>A database of the first release kept statistics per layer; its clients keep their assignments and measure anew.</summary>
    private void Migrate()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('clients') WHERE name = 'statistics'";
        if (command.ExecuteScalar() is null)
        {
            Execute("ALTER TABLE clients ADD COLUMN statistics TEXT");
        }
        command.CommandText = "SELECT name FROM pragma_table_info('inferences') WHERE name = 'message_id'";
        if (command.ExecuteScalar() is null)
        {
            Execute("ALTER TABLE inferences ADD COLUMN message_id INTEGER NOT NULL DEFAULT 0");
        }
        Execute("DROP TABLE IF EXISTS layer_stats");
    }

    private const string ClientColumns = "client_id, model_name, capabilities, remote_address, registered_at, last_seen, inference_count, statistics";

    public IReadOnlyList<StoredClient> LoadClients() => Query($"SELECT {ClientColumns} FROM clients", [], ReadClient);

    /// <summary>One client's row, or null: how an evicted session comes back.</summary>
    public StoredClient? LoadClient(string clientId) =>
        Query($"SELECT {ClientColumns} FROM clients WHERE client_id = $id", [("$id", clientId)], ReadClient).SingleOrDefault();

    public const string DeleteInferencesBeforeSql =
        "DELETE FROM inferences WHERE id IN (SELECT id FROM inferences WHERE time < $cutoff ORDER BY time LIMIT $batch)";

    /// <summary>How SQLite runs a statement (<c>EXPLAIN QUERY PLAN</c>, one line per step), to check that a scan uses an index.</summary>
    public IReadOnlyList<string> QueryPlan(string sql) => Query($"EXPLAIN QUERY PLAN {sql}", [], r => r.GetString(3));

    /// <summary>SQLite's <c>PRAGMA synchronous</c> on the writer's connection (1 = NORMAL, 2 = FULL).</summary>
    public long Synchronous => Query("PRAGMA synchronous", [], r => r.GetInt64(0))[0];

    public IReadOnlyList<string> ClientIds() => Query("SELECT client_id FROM clients", [], r => r.GetString(0));

    public IReadOnlyList<(string ModelName, int Count)> CountClientsPerModel() =>
        Query("SELECT model_name, COUNT(*) FROM clients GROUP BY model_name", [], r => (r.GetString(0), r.GetInt32(1)));

    /// <summary>Clients whose stored last activity is at or after <paramref name="since"/> (times are stored as UTC ISO 8601, so text order is time order).</summary>
    public IReadOnlyList<(string ClientId, string ModelName)> ClientsSeenSince(DateTimeOffset since) =>
        Query("SELECT client_id, model_name FROM clients WHERE last_seen >= $since", [("$since", since.ToUniversalTime().ToString("O"))],
            r => (r.GetString(0), r.GetString(1)));

    private static StoredClient ReadClient(SqliteDataReader reader) => new(reader.GetString(0), reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture), DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
        reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7));

    public void UpsertClient(StoredClient client) => Execute("""
        INSERT INTO clients (client_id, model_name, capabilities, remote_address, registered_at, last_seen, inference_count, statistics)
        VALUES ($id, $model, $caps, $addr, $registered, $seen, $count, $stats)
        ON CONFLICT(client_id) DO UPDATE SET model_name = $model, capabilities = $caps, remote_address = $addr,
            last_seen = $seen, inference_count = $count, statistics = $stats
        """, ("$id", client.ClientId), ("$model", client.ModelName), ("$caps", client.CapabilitiesJson), ("$addr", client.RemoteAddress),
        ("$registered", client.RegisteredAt.ToString("O")), ("$seen", client.LastSeen.ToString("O")), ("$count", client.InferenceCount),
        ("$stats", client.StatisticsJson));

    /// <summary>
    /// Stores a batch of accepted results and the client rows they changed in one transaction: once this returns all
    /// of it survives what the database's <see cref="CommitDurability"/> says (a server crash by default, also an OS
    /// crash or power loss with <see cref="CommitDurability.PowerLoss"/>), or none of it does. A row is only updated while the client still has the model its
    /// result was computed with (an operator may have re-assigned it meanwhile).
    /// </summary>
    public void CommitBatch(IReadOnlyList<(InferenceRecord Record, ClientProgress Progress)> batch)
    {
        lock (_lock)
        {
            using var transaction = _transaction = _connection.BeginTransaction();
            try
            {
                foreach (var (record, progress) in batch)
                {
                    ExecuteLocked("""
                        INSERT INTO inferences (time, client_id, model_name, layer, device_seconds, transfer_seconds, edge_seconds, bytes, prediction, message_id)
                        VALUES ($time, $id, $model, $layer, $device, $transfer, $edge, $bytes, $prediction, $message)
                        """, ("$time", record.Time.ToString("O")), ("$id", record.ClientId), ("$model", record.ModelName), ("$layer", record.Layer),
                        ("$device", record.DeviceSeconds), ("$transfer", record.TransferSeconds), ("$edge", record.EdgeSeconds), ("$bytes", record.Bytes),
                        ("$prediction", record.Prediction), ("$message", record.MessageId));
                    ExecuteLocked("UPDATE clients SET last_seen = $seen, inference_count = $count, statistics = $stats WHERE client_id = $id AND model_name = $model",
                        ("$seen", progress.LastSeen.ToString("O")), ("$count", progress.InferenceCount), ("$stats", progress.StatisticsJson),
                        ("$id", progress.ClientId), ("$model", progress.ModelName));
                }
                transaction.Commit();
            }
            finally
            {
                _transaction = null;
            }
        }
    }

    /// <summary>
    /// Deletes up to <paramref name="batch"/> of the records stored before <paramref name="cutoff"/>, found through the
    /// index by time: a pass with nothing old reads a few index pages, not the whole table, while it holds the lock
    /// every commit needs.
    /// </summary>
    public int DeleteInferencesBefore(DateTimeOffset cutoff, int batch) => ExecuteCount(DeleteInferencesBeforeSql,
        ("$cutoff", cutoff.ToUniversalTime().ToString("O")), ("$batch", batch));

    /// <summary>Deletes the <paramref name="count"/> oldest records of one client (through the index by client).</summary>
    public int DeleteOldestInferences(string clientId, int count) => ExecuteCount(
        "DELETE FROM inferences WHERE id IN (SELECT id FROM inferences WHERE client_id = $id ORDER BY id LIMIT $count)",
        ("$id", clientId), ("$count", count));

    public IReadOnlyList<(string ClientId, long Count)> ClientsWithMoreInferencesThan(int limit) =>
        ReadQuery("SELECT client_id, COUNT(*) FROM inferences GROUP BY client_id HAVING COUNT(*) > $limit", [("$limit", limit)],
            r => (r.GetString(0), r.GetInt64(1)));

    public void ResetStatistics() => Execute("UPDATE clients SET statistics = NULL");

    public long CountInferences(string? clientId = null) => clientId is null
        ? ReadQuery("SELECT COUNT(*) FROM inferences", [], r => r.GetInt64(0))[0]
        : ReadQuery("SELECT COUNT(*) FROM inferences WHERE client_id = $id", [("$id", clientId)], r => r.GetInt64(0))[0];

    /// <summary>Per client: records, mean device/transfer/edge seconds, first and last record time (for the statistics API).</summary>
    public IReadOnlyList<InferenceAggregate> AggregateInferences(InferenceFilter filter)
    {
        var (where, parameters) = filter.ToSql();
        return ReadQuery($"""
            SELECT client_id, model_name, COUNT(*), AVG(device_seconds), AVG(transfer_seconds), AVG(edge_seconds), MIN(time), MAX(time)
            FROM inferences{where} GROUP BY client_id, model_name ORDER BY client_id, model_name
            """, parameters, r => new InferenceAggregate(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5),
            DateTimeOffset.Parse(r.GetString(6), CultureInfo.InvariantCulture), DateTimeOffset.Parse(r.GetString(7), CultureInfo.InvariantCulture)));
    }

    /// <summary>How many stored results of each client used each (model, split layer).</summary>
    public IReadOnlyList<SplitCount> SplitHistogram(InferenceFilter filter)
    {
        var (where, parameters) = filter.ToSql();
        return ReadQuery($"SELECT client_id, model_name, layer, COUNT(*) FROM inferences{where} GROUP BY client_id, model_name, layer ORDER BY client_id, model_name, layer",
            parameters, r => new SplitCount(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3)));
    }

    private List<T> Query<T>(string sql, IReadOnlyList<(string Name, object Value)> parameters, Func<SqliteDataReader, T> read)
    {
        lock (_lock)
        {
            return Read(_connection, sql, parameters, read);
        }
    }

    /// <summary>A read-only connection to the database file: in WAL mode it reads beside the writer without its lock.</summary>
    public static string ReadOnlyConnectionString(string databaseFile) =>
        new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly }.ToString();

    /// <summary>
    /// Scans of the records (statistics, retention's count per client) on a read-only connection of their own: in WAL
    /// mode readers do not block the writer, so a full-table GROUP BY never holds the lock every result's commit needs.
    /// A reader sees every transaction committed before it starts, so a reply's record is always in it.
    /// </summary>
    private List<T> ReadQuery<T>(string sql, IReadOnlyList<(string Name, object Value)> parameters, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection(_readOnlyConnectionString);
        connection.Open();
        return Read(connection, sql, parameters, read);
    }

    private static List<T> Read<T>(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object Value)> parameters, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters) => ExecuteCount(sql, parameters);

    private int ExecuteCount(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            return ExecuteLocked(sql, parameters);
        }
    }

    /// <summary>
    /// Runs a statement through a prepared command cached by its text: every accepted result writes a few dozen rows,
    /// and re-parsing the same SQL each time cost more than the writes themselves.
    /// </summary>
    private int ExecuteLocked(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            _prepared[sql] = command;
        }
        command.Transaction = _transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }
        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }
        _connection.Dispose();
        // The readers are pooled; their handles on the file go with the database.
        using var reader = new SqliteConnection(_readOnlyConnectionString);
        SqliteConnection.ClearPool(reader);
    }
}
