using Microsoft.Data.Sqlite;

namespace Sciot.Server.Storage;

/// <summary>
/// The SQLite inference records as CSV, written row by row to the response as they are read: memory stays flat
/// whatever the table holds. It reads on a connection of its own (WAL: readers do not block the writer), so a slow
/// download never holds the database lock that every accepted result needs.
/// </summary>
public static class InferenceExport
{
    public static async Task WriteCsvAsync(string databaseFile, InferenceFilter filter, Stream output, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(SciotDatabase.ReadOnlyConnectionString(databaseFile));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var (where, parameters) = filter.ToSql();
        command.CommandText = $"SELECT {InferenceCsv.Header} FROM inferences{where} ORDER BY id";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await using var csv = new InferenceCsvWriter(output, InferenceCsv.Header);
        var row = new object?[reader.FieldCount];
        while (await reader.ReadAsync(cancellationToken))
        {
            reader.GetValues(row);
            await csv.WriteRowAsync(row, cancellationToken);
        }
        await csv.CompleteAsync(cancellationToken);
    }
}
