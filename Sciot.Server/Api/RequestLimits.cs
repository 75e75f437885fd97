using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Sciot.Server.Api;

/// <summary>
/// Request-line and header limits enforced here instead of by Kestrel: Kestrel refuses an over-long request line
/// or header block with a bare 414/431 and no body, before any middleware runs. Kestrel's own limits are set far
/// above these (<see cref="ConfigureKestrel"/>), so a refusal in between gets ProblemDetails that say what is too big.
/// </summary>
public static class RequestLimits
{
    /// <summary>Path and query, as Kestrel's default request-line limit.</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>All header names and values together, as Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public const int MaxHeaderCount = 100;

    /// <summary>Only beyond these does Kestrel itself answer (bare 414/431): 16x ours.</summary>
    public static void ConfigureKestrel(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = 16 * MaxTargetBytes;
        limits.MaxRequestHeadersTotalSize = 16 * MaxHeaderBytes;
        limits.MaxRequestHeaderCount = 16 * MaxHeaderCount;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var target = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (target > MaxTargetBytes)
        {
            throw new ApiProblemException(StatusCodes.Status414UriTooLong, "Request target too long",
                $"path and query have {target} characters; at most {MaxTargetBytes} are accepted");
        }
        var count = 0;
        long bytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            count += values.Count;
            bytes += name.Length + values.Sum(v => v?.Length ?? 0);
        }
        if (count > MaxHeaderCount || bytes > MaxHeaderBytes)
        {
            throw new ApiProblemException(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"{count} header values of {bytes} bytes; at most {MaxHeaderCount} values and {MaxHeaderBytes} bytes are accepted");
        }
        await next(context);
    });
}
