using Sciot.Server.Rejections;

namespace Sciot.Server.Cluster;

/// <summary>
/// A grain call's value or the domain rejection it ended in. Rejections travel as data because Orleans would carry
/// a <see cref="RequestRejectedException"/> across silos without its kind and field, and the HTTP status depends on them.
/// </summary>
public sealed record GrainOutcome<T>(T? Value, RejectionKind? Kind = null, string? Title = null, string? Detail = null, string? Field = null)
{
    public static GrainOutcome<T> Of(Func<T> intent)
    {
        try
        {
            return new GrainOutcome<T>(intent());
        }
        catch (RequestRejectedException e)
        {
            return new GrainOutcome<T>(default, e.Kind, e.Title, e.Message, e.Field);
        }
    }

    /// <summary>The value, or the rejection thrown again on the replica that handles the request.</summary>
    public T Unwrap() => Kind is { } kind ? throw new RequestRejectedException(kind, Title!, Detail!, Field) : Value!;
}
