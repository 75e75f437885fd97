using System.Diagnostics;
using System.Net;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Health;

/// <summary>A server of its own, so readiness is observed from the start of its calibration.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private readonly SciotServerFactory _factory = new();
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Health_turns_200_once_every_model_is_calibrated()
    {
        var deadline = Stopwatch.StartNew();
        HttpStatusCode status;
        string body;
        while (true)
        {
            using var response = await _http.GetAsync("/health");
            (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync());
            if (status == HttpStatusCode.OK || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                break;
            }
            // Not ready means still calibrating, never anything else.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            await Task.Delay(25);
        }
        Assert.True(status == HttpStatusCode.OK, $"/health still {(int)status} {body} after 60 s");
        Assert.Equal("Healthy", body);

        // Ready means calibrated: every model has measured edge times.
        using var models = await _http.GetAsync("/api/models");
        Assert.All((await ServerHttp.OkJsonAsync(models)).EnumerateArray(), m => Assert.True(m.GetProperty("edge_seconds").GetDouble() > 0));
    }

    [Fact]
    public async Task Alive_is_200_from_the_start()
    {
        using var response = await _http.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
