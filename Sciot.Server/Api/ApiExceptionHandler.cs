using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Sciot.Server.Api;

/// <summary>Turns refused requests (and Kestrel's own 4xx, e.g. an oversize body) into ProblemDetails.</summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = exception switch
        {
            ApiProblemException p => (p.Status, p.Title, p.Message, p.Field),
            BadHttpRequestException b => (b.StatusCode, "Bad request", b.Message, null),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "the server failed to process the request; see the server log", (string?)null),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Path}", httpContext.Request.Path);
        }
        httpContext.Response.StatusCode = status;
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null)
        {
            details.Extensions["field"] = field;
        }
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
