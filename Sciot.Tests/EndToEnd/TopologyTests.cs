using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
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
        static bool Ready(JsonElement c) => c.GetProperty("inference_count").GetInt64() >= 3;
        // Only the clients through 3 cycles and not demo cameras: a spare that the scaling test started meanwhile may be newer.
        var clients = (await WaitForClientsAsync(Ready)).Where(Ready)
            .Where(c => !AppHostFixture.DemoDevices.Contains(c.GetProperty("client_id").GetString())).ToList();

        Assert.True(clients.Count >= AppHostFixture.Replicas, $"{clients.Count} clients");
        foreach (var client in clients)
        {
            Assert.Matches("^[0-9a-f]{8}$", client.GetProperty("client_id").GetString());
            Assert.Equal("fomo_96x96", client.GetProperty("model_name").GetString());
            var split = client.GetProperty("current_split").GetInt32();
            var reason = client.GetProperty("current_reason").GetString()!;
            if (reason.StartsWith("minimum estimated cost", StringComparison.Ordinal))
            {
                // A planned split is the earliest cheapest cut of the estimates the same decision recorded.
                var estimated = client.GetProperty("estimated_seconds").EnumerateArray().Select(e => e.GetDouble()).ToList();
                Assert.Equal(59, estimated.Count);
                Assert.Equal(estimated.IndexOf(estimated.Min()), split);
            }
            else
            {
                // Otherwise only a local-inference refresh, which runs every layer on the device.
                Assert.Contains("refresh", reason);
                Assert.Equal(-1, split);
            }
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
        Assert.Equal(AppHostFixture.Replicas + AppHostFixture.DemoDevices.Length, body.GetProperty("clients").GetInt32());

        using var refused = await fixture.Server.PostAsync("/api/operator/refresh", null);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Add_client_starts_a_spare_whose_first_log_line_names_the_id_it_registers_and_remove_client_stops_it()
    {
        await WaitForClientsAsync(c => c.GetProperty("inference_count").GetInt64() >= 1);
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        using var timeout = new CancellationTokenSource(Patience);
        var spare = "client-spare-1";
        var added = await commands.ExecuteCommandAsync("server", "add-client", timeout.Token);
        Assert.True(added.Success, added.Message);
        var started = await fixture.App.ResourceNotifications.WaitForResourceAsync(spare,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running, timeout.Token);
        // The console log as the dashboard shows it (the logger service replays what the process wrote so far).
        var console = fixture.App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(started.ResourceId).GetAsyncEnumerator(timeout.Token);

        // The process's first log entry (the console formatter's header line, then the message) names the device; the
        // AppHost's own lines about starting the resource come before the "[sys] Starting process" line.
        var lines = new List<string>();
        static List<string> Own(List<string> all) => all.SkipWhile(l => !l.Contains("[sys] Starting process")).Skip(1).ToList();
        while (Own(lines).Count < 2 && await console.MoveNextAsync())
        {
            lines.AddRange(console.Current.Select(l => l.Content));
        }
        await console.DisposeAsync();
        var own = Own(lines);
        Assert.Contains("Sciot.Client[0]", own[0]);
        var match = System.Text.RegularExpressions.Regex.Match(own[1], "Client ID ([0-9a-f]{8}) \\(1 device\\(s\\)");
        Assert.True(match.Success, string.Join("\n", lines));
        var id = match.Groups[1].Value;
        var clients = await WaitForClientsAsync(c => c.GetProperty("inference_count").GetInt64() >= 1, extra: 1);
        Assert.Contains(id, clients.Select(c => c.GetProperty("client_id").GetString()));

        var removed = await commands.ExecuteCommandAsync("server", "remove-client", timeout.Token);
        Assert.True(removed.Success, removed.Message);
        Assert.Contains(spare, removed.Message);
        await fixture.App.ResourceNotifications.WaitForResourceAsync(spare, KnownResourceStates.TerminalStates, timeout.Token);
        // The replicas started with the AppHost are not spares: nothing is left to remove.
        var nothing = await commands.ExecuteCommandAsync("server", "remove-client", timeout.Token);
        Assert.False(nothing.Success);
    }

    [Fact]
    public async Task Default_demo_runs_both_models_and_at_least_three_distinct_splits()
    {
        // Replicas on wifi (fomo_96x96) cut at 0; cam-weak (80 KB/s, fomo_96x96) after block 0 (6); cam-lte (30 KB/s,
        // mobilenet_lite) later (10): the current splits must settle on at least three values, with both models assigned.
        using var timeout = new CancellationTokenSource(Patience);
        JsonElement[] clients = [];
        var splits = new HashSet<int>();
        while (!timeout.IsCancellationRequested)
        {
            clients = await fixture.Server.ClientsAsync();
            splits = clients.Where(c => c.GetProperty("inference_count").GetInt64() >= 1)
                .Select(c => c.GetProperty("current_split").GetInt32()).Where(k => k >= 0).ToHashSet();
            if (splits.Count >= 3)
            {
                break;
            }
            await Task.Delay(500);
        }
        Assert.True(splits.Count >= 3, $"splits in use: {string.Join(", ", splits)}; clients: {string.Join("; ", clients.Select(Describe))}");
        Assert.Equal(["fomo_96x96", "mobilenet_lite"], clients.Select(c => c.GetProperty("model_name").GetString()).Distinct().Order());
        Assert.Equal("mobilenet_lite", clients.Single(c => c.GetProperty("client_id").GetString() == "cam-lte").GetProperty("model_name").GetString());

        static string Describe(JsonElement c) =>
            $"{c.GetProperty("client_id")} {c.GetProperty("model_name")} k={c.GetProperty("current_split")} bw={(c.TryGetProperty("bandwidth_bytes_per_second", out var bw) ? bw : "none")}";
    }

    private async Task<JsonElement[]> WaitForClientsAsync(Func<JsonElement, bool> ready, int extra = 0)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var expected = AppHostFixture.Replicas + AppHostFixture.DemoDevices.Length + extra;
        while (true)
        {
            var clients = await fixture.Server.ClientsAsync();
            if (clients.Length >= expected && clients.Count(ready) >= expected)
            {
                return clients;
            }
            await Task.Delay(250, timeout.Token);
        }
    }
}
