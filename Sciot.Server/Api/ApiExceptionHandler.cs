using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Sciot.Server.Rejections;

namespace Sciot.Server.Api;

/// <summary>Turns refused requests (and Kestrel's own 4xx, e.g. an oversize body) into ProblemDetails.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = exception switch
        {
            ApiProblemException p => (p.Status, p.Title, p.Message, p.Field),
            RequestRejectedException r => (StatusOf(r.Kind), r.Title, r.Message, r.Field),
            BadHttpRequestException b => (b.StatusCode, "Bad request", b.Message, null),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "the server failed to process the request; see the server log", (string?)null),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Path}", httpContext.Request.Path);
        }
        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // The unread body is still on the connection; saying so lets the client open a new one instead of
            // finding this one reset under its next request.
            httpContext.Response.Headers.Connection = "close";
        }
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null)
        {
            details.Extensions["field"] = field;
        }
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }

    /// <summary>The one place a domain rejection becomes an HTTP status.</summary>
    public static int StatusOf(RejectionKind kind) => kind switch
    {
        RejectionKind.Malformed => StatusCodes.Status400BadRequest,
        RejectionKind.Invalid => StatusCodes.Status400BadRequest,
        RejectionKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        RejectionKind.UnknownClient => StatusCodes.Status404NotFound,
        RejectionKind.Conflict => StatusCodes.Status409Conflict,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
