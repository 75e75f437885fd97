using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Sciot.Server.Api;

/// <summary>
/// The per-client limit of the device endpoints (ASP.NET Core's rate limiter): one fixed window per <c>client_id</c>
/// (a request without one, reference firmware, counts against its remote address). A refused request gets 429
/// ProblemDetails with <c>Retry-After</c> in whole seconds, which the client waits out before its next split cycle.
/// </summary>
public static class DeviceRateLimit
{
    public const string Policy = "device";

    public static IServiceCollection AddDeviceRateLimit(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            limiter.AddPolicy(Policy, context =>
            {
                var o = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = o.PermitsPerWindow,
                    Window = TimeSpan.FromSeconds(o.WindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }

    /// <summary>The device endpoints mapped inside this group are limited per client, unless the limit is disabled.</summary>
    public static IEndpointRouteBuilder DeviceEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("");
        if (app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            group.RequireRateLimiting(Policy);
        }
        return group;
    }

    private static string PartitionOf(HttpContext context) =>
        context.Request.Query["client_id"].FirstOrDefault() is { Length: > 0 } clientId
            ? "client:" + clientId
            : "address:" + context.Connection.RemoteIpAddress;

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var o = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(o.WindowSeconds);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var details = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = $"this client made more than {o.PermitsPerWindow} device requests in {o.WindowSeconds:0.###} s; retry after {seconds} s",
        };
        details.Extensions["retry_after_seconds"] = seconds;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details });
    }
}
