using System.Net;

namespace Sciot.Client.Connectivity;

/// <summary>The server answered, but refused the request (4xx/5xx); <see cref="Detail"/> is its ProblemDetails explanation.</summary>
public sealed class ServerRejectedException(HttpStatusCode status, string path, string detail, TimeSpan? retryAfter = null)
    : Exception($"{path}: HTTP {(int)status} {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string Detail { get; } = detail;
    public bool IsServerError => (int)Status >= 500;

    /// <summary>The server's per-client rate limit refused the request: wait <see cref="RetryAfter"/>, the server is fine.</summary>
    public bool IsRateLimited => Status == HttpStatusCode.TooManyRequests;

    /// <summary>The reply's <c>Retry-After</c>, if it had one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
