using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Sciot service shares: OpenTelemetry (logs, traces, metrics; OTLP export when the AppHost sets an
/// endpoint), health endpoints, service discovery and the standard HTTP resilience handler. Components add their own
/// ActivitySource/Meter names through <see cref="AddSciotTelemetry"/>.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Registers a component's own ActivitySource and Meter (same name) with the OpenTelemetry pipeline.</summary>
    public static TBuilder AddSciotTelemetry<TBuilder>(this TBuilder builder, string sourceAndMeterName) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(sourceAndMeterName))
            .WithMetrics(metrics => metrics.AddMeter(sourceAndMeterName));
        return builder;
    }

    /// <summary>
    /// Adds resource attributes to every signal (logs, traces, metrics) of this process; <paramref name="attributes"/>
    /// runs once, when the telemetry providers are built, so it may read validated options.
    /// </summary>
    public static TBuilder AddResourceAttributes<TBuilder>(this TBuilder builder, Func<IServiceProvider, IEnumerable<KeyValuePair<string, object>>> attributes)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddDetector(sp => new AttributesResourceDetector(attributes(sp))));
        return builder;
    }

    /// <summary>Spans without <paramref name="tag"/> take it from their in-process parent (see <see cref="InheritedTagProcessor"/>).</summary>
    public static TBuilder InheritSpanTag<TBuilder>(this TBuilder builder, string tag) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddProcessor(new InheritedTagProcessor(tag)));
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                                                && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation(options =>
                    options.FilterHttpRequestMessage = request => request.RequestUri?.AbsolutePath is not (HealthEndpointPath or AlivenessEndpointPath)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>/health (all checks: ready to serve) and /alive (liveness only).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }
}
