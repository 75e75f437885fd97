using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;

namespace Sciot.Tests.Client;

/// <summary>A 429 is the server's per-client rate limit, not a failing server: no retry, no open breaker, Retry-After kept.</summary>
public sealed class RateLimitedClientTests
{
    [Fact]
    public async Task Refusals_by_the_rate_limit_neither_retry_nor_open_the_breaker_and_carry_retry_after()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<DeviceOptions>().Configure(o => o.ServerUrl = "http://edge.test");
        services.AddServerHttpClients();
        var server = new RateLimitingServer();
        services.AddHttpClient(ServerHttpClients.Server).ConfigurePrimaryHttpMessageHandler(() => server);
        await using var provider = services.BuildServiceProvider();
        var api = provider.GetRequiredService<ServerApi>();

        // Past the breaker's minimum throughput (100 in its sampling window), every request refused.
        const int requests = 150;
        var refusals = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ =>
            Assert.ThrowsAsync<ServerRejectedException>(() => api.GetDecisionAsync("limited", CancellationToken.None))));

        Assert.Equal(requests, server.Requests);
        Assert.All(refusals, e =>
        {
            Assert.True(e.IsRateLimited);
            Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        });
    }

    /// <summary>Refuses everything with 429, Retry-After 7 s, and counts what reaches it.</summary>
    private sealed class RateLimitingServer : HttpMessageHandler
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
            {
                RequestMessage = request,
                Content = new StringContent("""{"status":429,"title":"Too many requests","detail":"slow down"}""", System.Text.Encoding.UTF8, "application/problem+json"),
            };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return Task.FromResult(response);
        }
    }
}
