namespace Sciot.Server.Api;

/// <summary>A request refused for an HTTP-level reason (missing key, missing client_id), with the status and the explanation that goes into ProblemDetails.</summary>
public sealed class ApiProblemException(int status, string title, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Field { get; } = field;
}
