using System.Diagnostics;
using System.Net;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.RateLimit;

/// <summary>
/// One client flooding the device endpoints is refused beyond its own permits; another client is not touched by it.
/// The window is an hour long, so no window turns over during the test: the counts follow from the settings alone.
/// </summary>
public sealed class PerClientRateLimitTests
{
    private const int Permits = 10;
    private const int Flood = 80;
    private const int SteadyRequests = Permits;

    [Fact]
    public async Task A_flooding_client_gets_exactly_the_requests_beyond_its_permits_refused_and_another_client_none()
    {
        await using var factory = new SciotServerFactory(settings: new Dictionary<string, string?>
        {
            ["Sciot:Server:RateLimit:Enabled"] = "true",
            ["Sciot:Server:RateLimit:PermitsPerWindow"] = Permits.ToString(),
            ["Sciot:Server:RateLimit:WindowSeconds"] = "3600",
        });
        using var http = factory.CreateClient();
        await http.RegisterAsync("flooder");
        await http.RegisterAsync("steady");

        var floodStarted = Stopwatch.GetTimestamp();
        var flood = Task.WhenAll(Enumerable.Range(0, Flood).Select(_ => Task.Run(() => http.GetAsync("/api/offloading_layer?client_id=flooder"))));
        var steadyMs = new List<double>();
        var steadyStatus = new List<HttpStatusCode>();
        for (var i = 0; i < SteadyRequests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync("/api/offloading_layer?client_id=steady");
            steadyMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            steadyStatus.Add(response.StatusCode);
        }
        var flooded = await flood;

        Assert.Equal(Permits, flooded.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = flooded.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(Flood - Permits, refused.Count);
        var problem = await ServerHttp.AssertProblemAsync(refused[0], HttpStatusCode.TooManyRequests);
        var retryAfter = refused[0].Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        // The hour's window opened with the flood's first request: what is left of it, to the second.
        var elapsed = Stopwatch.GetElapsedTime(floodStarted).TotalSeconds;
        Assert.InRange(retryAfter.Value.TotalSeconds, Math.Floor(3600 - elapsed) - 1, 3600);
        Assert.Equal((int)retryAfter.Value.TotalSeconds, problem.GetProperty("retry_after_seconds").GetInt32());
        Assert.All(steadyStatus, s => Assert.Equal(HttpStatusCode.OK, s));
        // Generous: the steady client is only slowed by sharing the cores with the flood, never queued behind it.
        Assert.True(steadyMs.Max() < 5000, $"steady client's slowest request took {steadyMs.Max():F0} ms");
        foreach (var response in flooded)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task The_limit_applies_to_device_endpoints_only_and_can_be_turned_off()
    {
        await using var limited = new SciotServerFactory(settings: new Dictionary<string, string?>
        {
            ["Sciot:Server:RateLimit:Enabled"] = "true",
            ["Sciot:Server:RateLimit:PermitsPerWindow"] = "1",
            ["Sciot:Server:RateLimit:WindowSeconds"] = "3600",
        });
        using var http = limited.CreateClient();
        await http.RegisterAsync("one_permit");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/offloading_layer?client_id=one_permit")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.GetAsync("/api/offloading_layer?client_id=one_permit")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.PostAsync("/api/device_input?client_id=one_permit", ServerHttp.Binary([1]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/clients/one_permit")).StatusCode);

        await using var open = new SciotServerFactory(settings: new Dictionary<string, string?>
        {
            ["Sciot:Server:RateLimit:Enabled"] = "false",
            ["Sciot:Server:RateLimit:PermitsPerWindow"] = "1",
        });
        using var unlimited = open.CreateClient();
        await unlimited.RegisterAsync("no_limit");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await unlimited.GetAsync("/api/offloading_layer?client_id=no_limit")).StatusCode);
        }
    }

    [Fact]
    public async Task An_invalid_limit_stops_the_server_at_start_naming_the_setting()
    {
        await using var factory = new SciotServerFactory(settings: new Dictionary<string, string?> { ["Sciot:Server:RateLimit:PermitsPerWindow"] = "0" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("PermitsPerWindow", error.ToString());
    }
}
