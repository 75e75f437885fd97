namespace Sciot.Server.Rejections;

/// <summary>A domain rejection: what kind, which field, and the explanation a device or operator reads.</summary>
public sealed class RequestRejectedException(RejectionKind kind, string title, string detail, string? field = null) : Exception(detail)
{
    public RejectionKind Kind { get; } = kind;
    public string Title { get; } = title;
    public string? Field { get; } = field;

    public static RequestRejectedException UnknownClient(string clientId) =>
        new(RejectionKind.UnknownClient, "Unknown client", $"client '{clientId}' is not registered; POST /api/registration first");
}
