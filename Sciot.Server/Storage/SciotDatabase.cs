using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Sciot.Server.Storage;

/// <summary>
/// SQLite persistence: clients and their sticky assignments, per-client layer statistics, every inference record.
/// One connection guarded by a lock: writes are small, and WAL keeps readers off the writer's back.
/// </summary>
public sealed class SciotDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public SciotDatabase(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        FilePath = Path.Combine(dataFolder, "sciot.db");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS clients (
                client_id TEXT PRIMARY KEY,
                model_name TEXT NOT NULL,
                capabilities TEXT,
                remote_address TEXT,
                registered_at TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                inference_count INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS layer_stats (
                client_id TEXT NOT NULL,
                model_name TEXT NOT NULL,
                layer INTEGER NOT NULL,
                ema_seconds REAL NOT NULL,
                samples INTEGER NOT NULL,
                PRIMARY KEY (client_id, model_name, layer));
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
                prediction TEXT NOT NULL);
            """);
    }

    public string FilePath { get; }

    public IReadOnlyList<StoredClient> LoadClients()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT client_id, model_name, capabilities, remote_address, registered_at, last_seen, inference_count FROM clients";
            using var reader = command.ExecuteReader();
            var clients = new List<StoredClient>();
            while (reader.Read())
            {
                clients.Add(new StoredClient(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture), reader.GetInt64(6)));
            }
            return clients;
        }
    }

    public void UpsertClient(StoredClient client) => Execute("""
        INSERT INTO clients (client_id, model_name, capabilities, remote_address, registered_at, last_seen, inference_count)
        VALUES ($id, $model, $caps, $addr, $registered, $seen, $count)
        ON CONFLICT(client_id) DO UPDATE SET model_name = $model, capabilities = $caps, remote_address = $addr,
            last_seen = $seen, inference_count = $count
        """, ("$id", client.ClientId), ("$model", client.ModelName), ("$caps", client.CapabilitiesJson), ("$addr", client.RemoteAddress),
        ("$registered", client.RegisteredAt.ToString("O")), ("$seen", client.LastSeen.ToString("O")), ("$count", client.InferenceCount));

    public Dictionary<int, (double Seconds, long Samples)> LoadLayerStats(string clientId, string model)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT layer, ema_seconds, samples FROM layer_stats WHERE client_id = $id AND model_name = $model";
            command.Parameters.AddWithValue("$id", clientId);
            command.Parameters.AddWithValue("$model", model);
            using var reader = command.ExecuteReader();
            var stats = new Dictionary<int, (double, long)>();
            while (reader.Read())
            {
                stats[reader.GetInt32(0)] = (reader.GetDouble(1), reader.GetInt64(2));
            }
            return stats;
        }
    }

    /// <summary>Stores an accepted result and the statistics it changed in one transaction: all of it survives a restart, or none.</summary>
    public void RecordInference(InferenceRecord record, StoredClient client, IReadOnlyList<(int Layer, double Seconds, long Samples)> layerStats)
    {
        lock (_lock)
        {
            using var transaction = _transaction = _connection.BeginTransaction();
            try
            {
                ExecuteLocked("""
                    INSERT INTO inferences (time, client_id, model_name, layer, device_seconds, transfer_seconds, edge_seconds, bytes, prediction)
                    VALUES ($time, $id, $model, $layer, $device, $transfer, $edge, $bytes, $prediction)
                    """, ("$time", record.Time.ToString("O")), ("$id", record.ClientId), ("$model", record.ModelName), ("$layer", record.Layer),
                    ("$device", record.DeviceSeconds), ("$transfer", record.TransferSeconds), ("$edge", record.EdgeSeconds), ("$bytes", record.Bytes),
                    ("$prediction", record.Prediction));
                foreach (var (layer, seconds, samples) in layerStats)
                {
                    ExecuteLocked("""
                        INSERT INTO layer_stats (client_id, model_name, layer, ema_seconds, samples) VALUES ($id, $model, $layer, $ema, $samples)
                        ON CONFLICT(client_id, model_name, layer) DO UPDATE SET ema_seconds = $ema, samples = $samples
                        """, ("$id", record.ClientId), ("$model", record.ModelName), ("$layer", layer), ("$ema", seconds), ("$samples", samples));
                }
                ExecuteLocked("UPDATE clients SET last_seen = $seen, inference_count = $count WHERE client_id = $id",
                    ("$seen", client.LastSeen.ToString("O")), ("$count", client.InferenceCount), ("$id", client.ClientId));
                transaction.Commit();
            }
            finally
            {
                _transaction = null;
            }
        }
    }

    public void ResetStatistics() => Execute("DELETE FROM layer_stats");

    public void ResetStatistics(string clientId) => Execute("DELETE FROM layer_stats WHERE client_id = $id", ("$id", clientId));

    public long CountInferences(string? clientId = null)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = clientId is null ? "SELECT COUNT(*) FROM inferences" : "SELECT COUNT(*) FROM inferences WHERE client_id = $id";
            if (clientId is not null)
            {
                command.Parameters.AddWithValue("$id", clientId);
            }
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>All inference records as CSV (RFC 4180 quoting for the prediction column).</summary>
    public string ExportInferencesCsv()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, time, client_id, model_name, layer, device_seconds, transfer_seconds, edge_seconds, bytes, prediction FROM inferences ORDER BY id";
            using var reader = command.ExecuteReader();
            var csv = new StringBuilder("id,time,client_id,model_name,layer,device_seconds,transfer_seconds,edge_seconds,bytes,prediction\n");
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
                    csv.Append(i > 0 ? "," : "").Append(value.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value);
                }
                csv.Append('\n');
            }
            return csv.ToString();
        }
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_lock)
        {
            ExecuteLocked(sql, parameters);
        }
    }

    /// <summary>
    /// Runs a statement through a prepared command cached by its text: every accepted result writes a few dozen rows,
    /// and re-parsing the same SQL each time cost more than the writes themselves.
    /// </summary>
    private void ExecuteLocked(string sql, params (string Name, object? Value)[] parameters)
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
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }
        _connection.Dispose();
    }
}
