using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Cluster;

/// <summary>
/// The acceptance run: the AppHost with <c>--server-replicas 3</c> and six clients (Garnet, three Orleans
/// silos behind one proxied port). Every client keeps one model although its results are served by different
/// replicas; a decision forced through one replica holds on all of them; then one replica is killed (process kill):
/// clients keep cycling, none is re-assigned, and every inference acknowledged before the kill is still counted.
/// Every wait is bounded.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterEndToEndTests : IAsyncLifetime
{
    private const int Replicas = 3;
    private const int Clients = 6;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly string _data = Directory.CreateTempSubdirectory("sciot-cluster-").FullName;
    private readonly string _operatorKey = Guid.NewGuid().ToString("N");
    private DistributedApplication _app = null!;
    private HttpClient _server = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Sciot_AppHost>(
            [
                $"--server-replicas={Replicas}", $"--clients={Clients}", $"--server-port={TestPorts.FreeBelowEphemeralRange()}", $"--server-data={_data}",
                "--real-time=false", "--cycle-interval-ms=200", $"--operator-api-key={_operatorKey}",
                // Only the six clients under test: the demo cameras and spare clients would share the two cores with them.
                "--demo=false", "--spare-clients=0",
            ],
            (app, _) => app.DisableDashboard = true,
            timeout.Token);
        _app = await builder.BuildAsync(timeout.Token).WaitAsync(timeout.Token);
        await AppHostStartup.StartAsync(_app, StartTimeout);
        _server = _app.CreateHttpClient("server", "http");
        _server.DefaultRequestHeaders.Add("X-Api-Key", _operatorKey);
        await Until(async () => (await Cluster()).GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == Replicas,
            "three active silos", timeout.Token);
    }

    public async Task DisposeAsync()
    {
        _server?.Dispose();
        if (_app is not null)
        {
            await AppHostStartup.StopAsync(_app);
        }
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Clients_keep_their_model_across_replicas_and_through_the_death_of_one()
    {
        using var timeout = new CancellationTokenSource(Patience);

        // Every client cycles, and its results are served by more than one replica (Aspire's proxy has no stickiness).
        var before = await UntilValue(async () =>
        {
            var rows = await Records();
            var byClient = rows.GroupBy(r => r.ClientId).ToList();
            return byClient.Count == Clients && byClient.All(g => g.Select(r => r.Replica).Distinct().Count() >= 2 && g.Count() >= 5) ? rows : null;
        }, "every client served by two replicas or more", timeout.Token);
        var models = (await _server.ClientsAsync()).ToDictionary(c => c.GetProperty("client_id").GetString()!, c => c.GetProperty("model_name").GetString()!);
        Assert.Equal(Clients, models.Count);
        Assert.Equal(Replicas, before.Select(r => r.Replica).Distinct().Count());

        // A decision forced through whichever replica answers holds for that client's results on every replica.
        var forced = models.Keys.Order(StringComparer.Ordinal).First();
        const int ForcedLayer = 7;
        await _server.ForceLayerAsync(forced, ForcedLayer);
        var forcedFrom = (await Records()).Count;
        var forcedRows = await UntilValue(async () =>
        {
            var rows = (await Records()).Skip(forcedFrom).Where(r => r.ClientId == forced).SkipWhile(r => r.Layer != ForcedLayer).ToList();
            return rows.Select(r => r.Replica).Distinct().Count() >= 2 ? rows : null;
        }, "forced-layer results from two replicas", timeout.Token);
        Assert.All(forcedRows, r => Assert.Equal(ForcedLayer, r.Layer));
        await _server.ForceLayerAsync(forced, null);

        // Kill one replica outright, taking the process id from its own answer.
        var victim = await UntilValue(async () => (await Cluster()) is var c && c.GetProperty("replica").GetString() is { } name
            && before.Any(r => r.Replica == name) ? new ReplicaProcess(name, c.GetProperty("process_id").GetInt32()) : null,
            "a replica's process id", timeout.Token);
        var acknowledged = await Records();
        var counts = (await _server.ClientsAsync()).ToDictionary(c => c.GetProperty("client_id").GetString()!, c => c.GetProperty("inference_count").GetInt64());
        Process.GetProcessById(victim.Pid).Kill();

        // Clients keep cycling on the survivors.
        var after = await UntilValue(async () =>
        {
            var rows = await Records();
            var fresh = rows.Skip(acknowledged.Count).ToList();
            return models.Keys.All(id => fresh.Count(r => r.ClientId == id && r.Replica != victim.Name) >= 5) ? rows : null;
        }, "every client cycling after the kill", timeout.Token);

        // Nothing acknowledged before the kill is lost, and the clients' counts only grew.
        Assert.Equal(acknowledged, after.Take(acknowledged.Count));
        var clients = await _server.ClientsAsync();
        foreach (var client in clients)
        {
            var id = client.GetProperty("client_id").GetString()!;
            Assert.True(client.GetProperty("inference_count").GetInt64() > counts[id], $"{id} counted no inference after the kill");
            // The session's count survived wherever its grain lived: it covers every stored record of the client (a
            // session that started over after the kill would count only the results since).
            Assert.True(client.GetProperty("inference_count").GetInt64() >= after.Count(r => r.ClientId == id), $"{id} lost counted inferences");
            // No re-assignment: one model per client, in its session and in every record, before and after the kill.
            Assert.Equal(models[id], client.GetProperty("model_name").GetString());
            Assert.All(after.Where(r => r.ClientId == id), r => Assert.Equal(models[id], r.ModelName));
        }
        Assert.Equal(Clients, clients.Length);
        // The killed replica served nothing once the survivors had declared it dead.
        Assert.DoesNotContain(victim.Name, after.TakeLast(Clients * 3).Select(r => r.Replica));
    }

    private sealed record ReplicaProcess(string Name, int Pid);

    private async Task<JsonElement> Cluster() => (await _server.GetFromJsonAsync<JsonElement>("/api/cluster"));

    private async Task<IReadOnlyList<InferenceRow>> Records() => InferenceRow.Parse(await _server.GetStringAsync("/api/operator/inferences.csv"));

    private static Task Until(Func<Task<bool>> condition, string what, CancellationToken cancellation) =>
        UntilValue(async () => await condition() ? (object)true : null, what, cancellation);

    /// <summary>Polls until the probe yields a value; a request that fails meanwhile (a replica just died) is tried again.</summary>
    private static async Task<T> UntilValue<T>(Func<Task<T?>> probe, string what, CancellationToken cancellation)
    {
        Exception? last = null;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e;
            }
            try
            {
                await Task.Delay(500, cancellation);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        throw new TimeoutException($"waited in vain for {what}" + (last is null ? "" : $"; last error: {last.Message}"));
    }
}
