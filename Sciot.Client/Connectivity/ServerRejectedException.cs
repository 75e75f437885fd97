using System.Net;

namespace Sciot.Client.Connectivity;

/// <summary>The server answered, but refused the request (4xx/5xx); <see cref="Detail"/> is its ProblemDetails explanation.</summary>
public sealed class ServerRejectedException(HttpStatusCode status, string path, string detail)
    : Exception($"{path}: HTTP {(int)status} {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string Detail { get; } = detail;
    public bool IsServerError => (int)Status >= 500;
}
