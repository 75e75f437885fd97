using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;

namespace Sciot.Tests.Client;

/// <summary>Virtual devices of one process share the "server" HTTP client but not its circuit breaker.</summary>
public sealed class PerDeviceCircuitBreakerTests
{
    [Fact]
    public async Task A_failing_device_opens_its_own_circuit_and_the_others_keep_going()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<DeviceOptions>().Configure(o => o.ServerUrl = "http://edge.test");
        services.AddServerHttpClients();
        services.AddHttpClient(ServerHttpClients.Server).ConfigurePrimaryHttpMessageHandler(() => new StubServer());
        await using var provider = services.BuildServiceProvider();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(ServerHttpClients.Server);

        // Past the breaker's minimum throughput (100 in its sampling window), all failing.
        await Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
        {
            try
            {
                using var response = await http.GetAsync("/api/offloading_layer?client_id=broken");
            }
            catch (BrokenCircuitException)
            {
            }
        }));

        await Assert.ThrowsAsync<BrokenCircuitException>(() => http.GetAsync("/api/offloading_layer?client_id=broken"));
        using var healthy = await http.GetAsync("/api/offloading_layer?client_id=healthy");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal("healthy", ServerHttpClients.DeviceOf(healthy.RequestMessage!));
    }

    /// <summary>A server that fails every request of device "broken" and answers everybody else.</summary>
    private sealed class StubServer : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(ServerHttpClients.DeviceOf(request) == "broken" ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK)
            {
                RequestMessage = request,
            });
    }
}
