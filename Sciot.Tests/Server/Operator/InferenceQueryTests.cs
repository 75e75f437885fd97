using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sciot.Server.Storage;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Operator;

/// <summary>inferences.csv filters and streaming, and /api/statistics, over records the test posted itself.</summary>
[Collection(ServerCollection.Name)]
public sealed class InferenceQueryTests(ServerFixture server)
{
    private HttpClient Device => server.Client;
    private HttpClient Operator => server.Operator;

    [Fact]
    public async Task Csv_filters_select_by_client_model_and_time_range()
    {
        var (a, b) = (server.NewClientId("csv_a"), server.NewClientId("csv_b"));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await PostResultsAsync(a, 20, 58);
        await PostResultsAsync(b, 11);
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        Assert.Equal([(a, "20"), (a, "58")], await RowsAsync($"client_id={a}"));
        Assert.Equal([(b, "11")], await RowsAsync($"client_id={b}&model=fomo_96x96&from={Iso(before)}&to={Iso(after)}"));
        Assert.Empty(await RowsAsync($"client_id={a}&model=mobilenet_lite"));
        Assert.Empty(await RowsAsync($"client_id={a}&from={Iso(after)}"));
        Assert.Empty(await RowsAsync($"client_id={a}&to={Iso(before)}"));
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45T00:00:00Z", "to")]
    [InlineData("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to")]
    public async Task A_bad_time_filter_is_a_400_naming_the_parameter(string query, string field)
    {
        using var csv = await Operator.GetAsync("/api/operator/inferences.csv?" + query);
        Assert.Equal(field, (await ServerHttp.AssertProblemAsync(csv, HttpStatusCode.BadRequest)).Field());
        using var statistics = await Device.GetAsync("/api/statistics?" + query);
        Assert.Equal(field, (await ServerHttp.AssertProblemAsync(statistics, HttpStatusCode.BadRequest)).Field());
    }

    [Fact]
    public async Task The_export_is_written_in_bounded_chunks_as_rows_are_read()
    {
        var folder = SciotServerFactory.NewTempFolder();
        try
        {
            string file;
            using (var database = new SciotDatabase(folder))
            {
                file = database.FilePath;
            }
            const int rows = 3000;
            var prediction = "{\"kind\":\"fomo\",\"detections\":[" + string.Join(",", Enumerable.Repeat("{\"label\":\"circle\"}", 5)) + "]}";
            using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                connection.Open();
                using var transaction = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO inferences (time, client_id, model_name, layer, device_seconds, transfer_seconds, edge_seconds, bytes, prediction)
                    VALUES ($time, 'bulk', 'fomo_96x96', $layer, 0.01, 0.02, 0.003, 4608, $prediction)
                    """;
                var time = insert.Parameters.Add("$time", SqliteType.Text);
                var layer = insert.Parameters.Add("$layer", SqliteType.Integer);
                insert.Parameters.AddWithValue("$prediction", prediction);
                for (var i = 0; i < rows; i++)
                {
                    time.Value = DateTimeOffset.UnixEpoch.AddSeconds(i).ToString("O");
                    layer.Value = i % 59;
                    insert.ExecuteNonQuery();
                }
                transaction.Commit();
            }

            var output = new RecordingStream();
            await InferenceExport.WriteCsvAsync(file, InferenceFilter.All, output, CancellationToken.None);

            var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(rows + 1, lines.Length);
            Assert.Equal(InferenceCsv.Header, lines[0]);
            Assert.StartsWith($"{rows},1970-01-01T00:49:59.0000000+00:00,bulk,fomo_96x96,{(rows - 1) % 59},", lines[^1]);
            // ~0.5 MB of CSV reached the stream as many writes of at most a chunk each, not as one body built in memory.
            Assert.True(output.Length > 400_000, $"{output.Length} bytes");
            Assert.True(output.Writes.Count > 10, $"{output.Writes.Count} writes");
            Assert.True(output.Writes.Max() <= 3 * InferenceCsvWriter.FlushChars + 4096, $"largest write {output.Writes.Max()} bytes");
        }
        finally
        {
            SciotServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Statistics_aggregate_per_client_and_per_model()
    {
        var (a, b) = (server.NewClientId("stats_a"), server.NewClientId("stats_b"));
        await PostResultsAsync(a, 20, 20, 58);
        await PostResultsAsync(b, 11);

        var all = await StatisticsAsync("");
        var clientA = all.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("client_id").GetString() == a);
        Assert.Equal(3, clientA.GetProperty("inferences").GetInt64());
        Assert.Equal("fomo_96x96", clientA.GetProperty("model_name").GetString());
        Assert.Equal([("20", 2L), ("58", 1L)], Histogram(clientA));
        Assert.Equal(59, clientA.GetProperty("device_seconds_ema").GetArrayLength());
        Assert.Equal(59, clientA.GetProperty("device_time_variation").GetArrayLength());
        Assert.True(clientA.GetProperty("cycle_seconds").GetDouble() > 0);
        var fomo = all.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("model_name").GetString() == "fomo_96x96");
        Assert.Equal(59, fomo.GetProperty("edge_seconds_ema").GetArrayLength());
        Assert.True(fomo.GetProperty("inferences").GetInt64() >= 4);

        // Narrowed to one client, the model's aggregates count that client's results only.
        var onlyB = await StatisticsAsync($"client_id={b}");
        var clientB = Assert.Single(onlyB.GetProperty("clients").EnumerateArray());
        Assert.Equal(b, clientB.GetProperty("client_id").GetString());
        Assert.False(clientB.TryGetProperty("cycle_seconds", out _)); // one result: no interval yet (nulls are left out)
        var fomoB = onlyB.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("model_name").GetString() == "fomo_96x96");
        Assert.Equal(1, fomoB.GetProperty("inferences").GetInt64());
        Assert.Equal(1, fomoB.GetProperty("clients").GetInt32());
        Assert.Equal([("11", 1L)], Histogram(fomoB));
    }

    private async Task PostResultsAsync(string clientId, params int[] layers)
    {
        await Device.RegisterAsync(clientId);
        var frame = server.Device.Frame(ScriptedDevice.Fomo, 4);
        for (var i = 0; i < layers.Length; i++)
        {
            await Device.PostResultOkAsync(clientId, server.Device.V2(ScriptedDevice.Fomo, layers[i], frame, messageId: (uint)(i + 1)));
        }
    }

    private async Task<List<(string Client, string Layer)>> RowsAsync(string query)
    {
        using var response = await Operator.GetAsync("/api/operator/inferences.csv?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(InferenceCsv.Header, lines[0]);
        return [.. lines.Skip(1).Select(l => l.Split(',')).Select(f => (f[2], f[4]))];
    }

    private async Task<JsonElement> StatisticsAsync(string query)
    {
        using var response = await Device.GetAsync("/api/statistics?" + query);
        return await ServerHttp.OkJsonAsync(response);
    }

    private static List<(string, long)> Histogram(JsonElement element) =>
        [.. element.GetProperty("split_histogram").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64()))];

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));

    /// <summary>A memory stream that remembers the size of every write it received.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        public List<int> Writes { get; } = [];

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes.Add(count);
            base.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes.Add(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
