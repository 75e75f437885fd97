using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.EndToEnd;

public sealed class TopologyTests(AppHostFixture fixture) : IClassFixture<AppHostFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Three_client_replicas_run()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var running = new HashSet<string>();
        await foreach (var update in fixture.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (update.Resource.Name == "client" && update.Snapshot.State?.Text == KnownResourceStates.Running)
            {
                running.Add(update.ResourceId);
            }
            if (running.Count == AppHostFixture.Replicas)
            {
                break;
            }
        }
        Assert.Equal(AppHostFixture.Replicas, running.Count);
    }

    [Fact]
    public async Task Every_replica_registers_with_its_own_id_and_completes_split_cycles()
    {
        var clients = await WaitForClientsAsync(c => c.GetProperty("inference_count").GetInt64() >= 3);

        Assert.Equal(AppHostFixture.Replicas, clients.Select(c => c.GetProperty("client_id").GetString()).Distinct().Count());
        foreach (var client in clients)
        {
            Assert.Matches("^[0-9a-f]{8}$", client.GetProperty("client_id").GetString());
            Assert.Equal("fomo_96x96", client.GetProperty("model_name").GetString());
            var split = client.GetProperty("current_split").GetInt32();
            Assert.InRange(split, -1, 58);
            Assert.Equal(59, client.GetProperty("device_seconds_ema").EnumerateArray().Count(v => v.ValueKind == JsonValueKind.Number));
        }
    }

    [Fact]
    public async Task Dashboard_refresh_command_endpoint_asks_every_client_for_a_local_run()
    {
        await WaitForClientsAsync(c => c.GetProperty("inference_count").GetInt64() >= 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/operator/refresh");
        request.Headers.Add("X-Api-Key", fixture.OperatorKey);
        using var response = await fixture.Server.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(AppHostFixture.Replicas, body.GetProperty("clients").GetInt32());

        using var refused = await fixture.Server.PostAsync("/api/operator/refresh", null);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task<JsonElement[]> WaitForClientsAsync(Func<JsonElement, bool> ready)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var clients = await fixture.Server.ClientsAsync();
            if (clients.Length >= AppHostFixture.Replicas && clients.Count(ready) >= AppHostFixture.Replicas)
            {
                return clients;
            }
            await Task.Delay(250, timeout.Token);
        }
    }
}
