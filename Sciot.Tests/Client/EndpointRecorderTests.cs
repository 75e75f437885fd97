using System.Diagnostics;
using Sciot.Client.Load;

namespace Sciot.Tests.Client;

/// <summary>What the load run counts per endpoint.</summary>
public sealed class EndpointRecorderTests
{
    [Fact]
    public async Task A_request_that_times_out_counts_as_a_request_and_an_error()
    {
        var recorder = new EndpointRecorder();
        var handler = recorder.CreateHandler();
        handler.InnerHandler = new SilentServer();
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://edge.test"), Timeout = TimeSpan.FromMilliseconds(100) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetAsync("/api/offloading_layer?client_id=slow"));

        var series = recorder.Series["GET /api/offloading_layer"];
        Assert.Equal((1L, 1L), (series.Requests, series.Errors));
    }

    /// <summary>Accepts every request and never answers, as a server stuck under load.</summary>
    private sealed class SilentServer : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        }
    }
}
