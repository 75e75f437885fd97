namespace Sciot.Server.Api;

/// <summary>A request the server refuses, with the HTTP status and the explanation that goes into ProblemDetails.</summary>
public sealed class ApiProblemException(int status, string title, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Field { get; } = field;

    public static ApiProblemException UnknownClient(string clientId) =>
        new(StatusCodes.Status404NotFound, "Unknown client", $"client '{clientId}' is not registered; POST /api/registration first");
}
