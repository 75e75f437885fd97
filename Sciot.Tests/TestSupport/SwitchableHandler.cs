namespace Sciot.Tests.TestSupport;

/// <summary>A link that can be cut: while <see cref="Online"/> is false every request fails as an unreachable server does.</summary>
public sealed class SwitchableHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public volatile bool Online = true;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Online
            ? base.SendAsync(request, cancellationToken)
            : throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused (link switched off by the test)");
}
