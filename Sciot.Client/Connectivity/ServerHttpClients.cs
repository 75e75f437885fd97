using System.Web;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Sciot.Client.Device;

namespace Sciot.Client.Connectivity;

/// <summary>
/// The two HTTP clients a device uses: "server" (device loop) under the standard resilience handler with one
/// pipeline instance per device, so the circuit breaker of a device whose requests fail opens for that device
/// only and the other virtual devices of the process keep going; "registration" without one, since the
/// registration pipeline has its own retry and timeout and the two must not stack.
/// </summary>
public static class ServerHttpClients
{
    public const string Server = "server";
    public const string Registration = "registration";

    public static IServiceCollection AddServerHttpClients(this IServiceCollection services)
    {
        services.AddHttpClient(Server, (sp, http) => Configure(sp, http))
            .ConfigurePrimaryHttpMessageHandler(Connections)
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                // A device notices a dead server within seconds and falls back to local inference.
                resilience.Retry.MaxRetryAttempts = 1;
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
                // A 429 is the server's per-client rate limit: the server is healthy, so the breaker must not open,
                // and an immediate retry would only spend the next permit. The device waits out Retry-After itself.
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransientButNotRateLimited(args.Outcome));
                resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransientButNotRateLimited(args.Outcome));
            })
            .SelectPipelineBy(_ => DeviceOf);
        services.AddHttpClient(Registration, (sp, http) => Configure(sp, http)).ConfigurePrimaryHttpMessageHandler(Connections)
            .RemoveAllResilienceHandlers();
        services.AddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new ServerApi(factory.CreateClient(Server), factory.CreateClient(Registration));
        });
        return services;
    }

    /// <summary>The pipeline key of a device request: its <c>client_id</c> (every device endpoint carries one).</summary>
    public static string DeviceOf(HttpRequestMessage request) =>
        HttpUtility.ParseQueryString(request.RequestUri?.Query ?? "")["client_id"] ?? "";

    public static bool IsTransientButNotRateLimited(Polly.Outcome<HttpResponseMessage> outcome) =>
        outcome.Result?.StatusCode != System.Net.HttpStatusCode.TooManyRequests && HttpClientResiliencePredicates.IsTransient(outcome);

    /// <summary>Behind a proxy over several server replicas, a bounded connection lifetime spreads one device's requests over them.</summary>
    private static HttpMessageHandler Connections(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DeviceOptions>>().Value.ConnectionLifetimeSeconds is { } seconds
            ? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(seconds) }
            : new SocketsHttpHandler();

    private static void Configure(IServiceProvider services, HttpClient http)
    {
        var o = services.GetRequiredService<IOptions<DeviceOptions>>().Value;
        http.BaseAddress = new Uri(o.ServerUrl);
        http.Timeout = TimeSpan.FromSeconds(o.RequestTimeoutSeconds);
    }
}
