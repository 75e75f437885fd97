using System.Globalization;
using Sciot.Server.Storage;

namespace Sciot.Server.Api;

/// <summary>
/// The query string that narrows inference records (<c>?client_id=&amp;model=&amp;from=&amp;to=</c>, times ISO 8601);
/// a bad time or a range that ends before it starts is a 400 naming the parameter.
/// </summary>
public static class InferenceQuery
{
    public static InferenceFilter Parse(HttpRequest request)
    {
        var query = request.Query;
        var filter = new InferenceFilter(Text(query, "client_id"), Text(query, "model"), Time(query, "from"), Time(query, "to"));
        if (filter is { From: { } from, To: { } to } && to < from)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Empty time range", $"to ({to:O}) is before from ({from:O})", "to");
        }
        return filter;
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } value ? value : null;

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        if (Text(query, name) is not { } value)
        {
            return null;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid time", $"{name} '{value}' is not an ISO 8601 time, e.g. 2026-12-01T21:00:00Z", name);
    }
}
