using System.Diagnostics;
using Microsoft.Extensions.Options;
using Sciot.Core.Imaging;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Hosting;
using Sciot.Server.Inference;
using Sciot.Server.Offloading;
using Sciot.Server.Telemetry;
using Sciot.Core.Telemetry;

namespace Sciot.Server.Api;

/// <summary>The device loop's endpoints, with the reference paths: frame, decision, result.</summary>
public static class InferenceApi
{
    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/device_input", async (HttpContext context, string? client_id, ClientResolver resolver, ModelRuntime runtime,
            IOptions<ServerOptions> options, ILogger<InferenceService> logger) =>
        {
            var client = resolver.Resolve(context, client_id);
            var model = runtime.Get(client.ModelName);
            using var scope = BeginClientScope(logger, client.ClientId, model.Name);
            using var activity = ServerTelemetry.Start("device_input", client.ClientId, model.Name);
            var expected = Rgb565.ByteCount(model.Manifest.Input.Width, model.Manifest.Input.Height);
            var frame = await RequestBody.ReadBytesAsync(context.Request, Math.Min(expected, options.Value.MaxRequestBytes), context.RequestAborted);
            if (frame.Length != expected)
            {
                throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "Frame size does not match the model",
                    $"{model.Name} takes {model.Manifest.Input.Width}x{model.Manifest.Input.Height} RGB565 frames ({expected} bytes); got {frame.Length}", "body");
            }
            activity?.SetTag(SciotTags.TensorBytes, frame.Length);
            lock (client.Sync)
            {
                client.LatestFrame = frame;
                client.LatestFrameAt = DateTimeOffset.UtcNow;
                client.FramesReceived++;
                client.LastSeen = DateTimeOffset.UtcNow;
            }
            return Results.Ok(new { message = "Frame received", client_id = client.ClientId, bytes = frame.Length });
        });

        app.MapGet("/api/offloading_layer", (HttpContext context, string? client_id, ClientResolver resolver, OffloadingDecider decider, ModelRuntime runtime,
            ILogger<OffloadingDecider> logger) =>
        {
            var client = resolver.Resolve(context, client_id);
            using var scope = BeginClientScope(logger, client.ClientId, client.ModelName);
            using var activity = ServerTelemetry.Start("offloading_decision", client.ClientId, client.ModelName);
            var (layer, reason) = decider.Decide(client);
            activity?.SetTag(SciotTags.SplitLayer, layer);
            logger.LogInformation("offloading decision = layer {Layer} ({Reason})", layer, reason);
            var model = runtime.Get(client.ModelName);
            return Results.Ok(new OffloadingDecisionResponse
            {
                OffloadingLayerIndex = layer,
                ModelName = model.Name,
                ModelVersion = model.Manifest.Version,
                Reason = reason,
            });
        });

        app.MapPost("/api/device_inference_result", async (HttpContext context, string? client_id, ClientResolver resolver, InferenceService inference,
            NetworkDelaySimulator delay, ModelRuntime runtime, IOptions<ServerOptions> options, ILogger<InferenceService> logger) =>
        {
            var receivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            // With a client_id the body limit is that client's model's largest possible payload; without one (reference
            // firmware, attributed from the payload) it is the largest of any served model.
            var known = string.IsNullOrEmpty(client_id) ? null : resolver.Resolve(context, client_id);
            var limit = Math.Min(options.Value.MaxRequestBytes, known is null ? runtime.MaxResultBytes : runtime.Get(known.ModelName).MaxResultBytes);
            var body = await RequestBody.ReadBytesAsync(context.Request, limit, context.RequestAborted);
            var client = known ?? resolver.Resolve(context, client_id, InferenceService.TryReadV1DeviceId(body));
            using var scope = BeginClientScope(logger, client.ClientId, client.ModelName);
            await delay.DelayAsync(context.RequestAborted);
            var start = Stopwatch.GetTimestamp();
            var reply = inference.Process(client, body, receivedAt);
            return Results.Ok(reply with { ProcessingSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds });
        });
        return app;
    }

    /// <summary>Every log line of a device request reads "Client a1b2c3d4 (fomo_96x96): ...".</summary>
    private static IDisposable? BeginClientScope(ILogger logger, string clientId, string model) =>
        logger.BeginScope("Client {ClientId} ({Model})", clientId, model);
}
