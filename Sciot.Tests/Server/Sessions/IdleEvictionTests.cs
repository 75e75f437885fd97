using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Sciot.Server.Sessions;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Sessions;

/// <summary>
/// Idle sessions leave memory and come back from SQLite on their next request unchanged. The server's clock is a
/// manual one and the sweep is called directly, so which sessions are idle follows from the test's own steps.
/// </summary>
public sealed class IdleEvictionTests : IDisposable
{
    private const int IdleSeconds = 60;
    private readonly ScriptedDevice _device = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Idle_sessions_leave_memory_and_come_back_with_the_same_model_statistics_and_counts()
    {
        await using var factory = Server();
        using var http = factory.CreateClient();
        var sessions = factory.Services.GetRequiredService<InProcessClientSessions>();
        foreach (var id in new[] { "idle_a", "idle_b", "busy_c" })
        {
            await http.RegisterAsync(id);
        }
        var frame = _device.Frame(ScriptedDevice.Fomo, 1);
        for (uint m = 1; m <= 3; m++)
        {
            await http.PostResultOkAsync("idle_a", _device.V2(ScriptedDevice.Fomo, 20, frame, m, _device.LayerTimes(58)[..21]));
        }
        await http.PostResultOkAsync("idle_b", _device.V2(ScriptedDevice.Fomo, 57, frame, 1));
        var before = new[] { await http.ClientAsync("idle_a"), await http.ClientAsync("idle_b") };

        _clock.Advance(TimeSpan.FromSeconds(IdleSeconds + 1));
        await http.DecisionAsync("busy_c");
        var evicted = sessions.EvictIdle();

        Assert.Equal(2, evicted);
        Assert.Equal(1, sessions.InMemoryCount);
        // Listing reads the evicted ones from the database without taking them back into memory.
        Assert.Equal(["busy_c", "idle_a", "idle_b"], (await http.ClientsAsync()).Select(c => c.GetProperty("client_id").GetString()));
        Assert.Equal(1, sessions.InMemoryCount);

        var after = new[] { await http.ClientAsync("idle_a"), await http.ClientAsync("idle_b") };

        Assert.Equal(2, sessions.ReloadedCount);
        Assert.Equal(3, sessions.InMemoryCount);
        for (var i = 0; i < 2; i++)
        {
            foreach (var field in new[] { "model_name", "device_seconds_ema", "device_samples", "inference_count", "registered_at" })
            {
                Assert.True(before[i].TryGetProperty(field, out var was), $"no {field} in {before[i]}");
                Assert.Equal(was.GetRawText(), after[i].GetProperty(field).GetRawText());
            }
            // Stored bandwidth comes back rounded to whole bytes per second (absent = not measured yet, as a first v2 result leaves it).
            Assert.Equal(Bandwidth(before[i]), Bandwidth(after[i]));
        }
        Assert.Equal(3, after[0].GetProperty("inference_count").GetInt64());
        Assert.Equal(21, after[0].GetProperty("device_samples").EnumerateArray().Count(s => s.GetInt64() == 3));

        // The reloaded session goes on counting where it left off, and is sticky.
        await http.PostResultOkAsync("idle_a", _device.V2(ScriptedDevice.Fomo, 20, frame, 4, _device.LayerTimes(58)[..21]));
        Assert.Equal(4, (await http.ClientAsync("idle_a")).GetProperty("inference_count").GetInt64());
        Assert.Equal("sticky: previous assignment kept", (await http.RegisterAsync("idle_b")).GetProperty("assignment_reason").GetString());
    }

    [Fact]
    public async Task A_session_with_a_result_not_yet_stored_or_a_forced_layer_stays_in_memory()
    {
        await using var factory = Server();
        using var http = factory.CreateClient();
        using var operatorHttp = factory.CreateOperatorClient();
        var sessions = factory.Services.GetRequiredService<InProcessClientSessions>();
        await http.RegisterAsync("in_flight");
        await http.RegisterAsync("forced");
        await operatorHttp.ForceLayerAsync("forced", 11);
        var key = new ResultKey(1, 42);
        await sessions.ApplyResultAsync("in_flight", new ResultObservation(key, ScriptedDevice.Fomo, 57, _device.LayerTimes(57).Select(t => (double)t).ToArray(),
            100, null, null, true, 0, 0, 100, _clock.GetUtcNow()));

        _clock.Advance(TimeSpan.FromSeconds(IdleSeconds + 1));
        Assert.Equal(0, sessions.EvictIdle());

        // Its record could not be stored (the other way a result settles): nothing is pending any more.
        await sessions.ForgetAsync("in_flight", key);
        _clock.Advance(TimeSpan.FromSeconds(IdleSeconds + 1));
        Assert.Equal(1, sessions.EvictIdle());
        Assert.Equal(1, sessions.InMemoryCount);
        Assert.Equal(11, (await http.ClientAsync("forced")).GetProperty("forced_layer").GetInt32());
    }

    [Fact]
    public async Task A_refresh_asked_of_the_whole_fleet_reaches_evicted_sessions_when_they_come_back()
    {
        await using var factory = Server();
        using var http = factory.CreateClient();
        using var operatorHttp = factory.CreateOperatorClient();
        var sessions = factory.Services.GetRequiredService<InProcessClientSessions>();
        await http.RegisterAsync("evicted_then_refreshed");
        _clock.Advance(TimeSpan.FromSeconds(IdleSeconds + 1));
        Assert.Equal(1, sessions.EvictIdle());

        var refreshed = await sessions.RefreshAllAsync("operator asked");

        Assert.Equal(1, refreshed);
        Assert.Equal(0, sessions.InMemoryCount);
        var client = await http.ClientAsync("evicted_then_refreshed");
        Assert.True(client.GetProperty("refresh_pending").GetBoolean());
        Assert.Equal("operator asked", client.GetProperty("refresh_reason").GetString());
    }

    [Fact]
    public async Task A_retry_arriving_after_its_session_was_evicted_gets_the_same_reply_and_is_not_applied_twice()
    {
        await using var factory = Server();
        using var http = factory.CreateClient();
        var sessions = factory.Services.GetRequiredService<InProcessClientSessions>();
        await http.RegisterAsync("evicted_retry");
        var body = _device.V2(ScriptedDevice.Fomo, 20, _device.Frame(ScriptedDevice.Fomo, 3), 7, _device.LayerTimes(58)[..21]);
        var first = await http.PostResultOkAsync("evicted_retry", body);

        _clock.Advance(TimeSpan.FromSeconds(IdleSeconds + 1));
        Assert.Equal(1, sessions.EvictIdle());
        var retry = await http.PostResultOkAsync("evicted_retry", body);

        // The stored reply (its edge time is the first run's; only processing_seconds is per request), not a new run.
        Assert.Equal(first.GetProperty("edge_seconds").GetDouble(), retry.GetProperty("edge_seconds").GetDouble());
        Assert.Equal(first.GetProperty("next_offloading_layer").GetInt32(), retry.GetProperty("next_offloading_layer").GetInt32());
        Assert.Equal(1, (await http.ClientAsync("evicted_retry")).GetProperty("inference_count").GetInt64());
    }

    private static double? Bandwidth(JsonElement client) =>
        client.TryGetProperty("bandwidth_bytes_per_second", out var value) && value.ValueKind != JsonValueKind.Null ? Math.Round(value.GetDouble()) : null;

    private SciotServerFactory Server() => new(settings: new Dictionary<string, string?>
    {
        ["Sciot:Server:Sessions:IdleEvictionSeconds"] = IdleSeconds.ToString(),
        // The sweeper's own timer must not run during the test: the test sweeps itself.
        ["Sciot:Server:Sessions:SweepIntervalSeconds"] = "86400",
    }, configure: b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(_clock)));

    public void Dispose() => _device.Dispose();

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
