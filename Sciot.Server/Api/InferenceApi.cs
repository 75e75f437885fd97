using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sciot.Core.Imaging;
using Sciot.Core.Protocol.Json;
using Sciot.Core.Telemetry;
using Sciot.Server.Hosting;
using Sciot.Server.Inference;
using Sciot.Server.Offloading;
using Sciot.Server.Sessions;
using Sciot.Server.Telemetry;

namespace Sciot.Server.Api;

/// <summary>The device loop's endpoints, with the reference paths: frame, decision, result.</summary>
public static class InferenceApi
{
    public sealed record FrameReceived(string Message, string ClientId, int Bytes);

    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/device_input", ReceiveFrame);
        app.MapGet("/api/offloading_layer", Decide);
        app.MapPost("/api/device_inference_result", ReceiveResult);
        return app;
    }

    private static async Task<Ok<FrameReceived>> ReceiveFrame(HttpContext context, string? client_id, ClientResolver resolver, IClientSessions sessions,
        ModelRuntime runtime, IOptions<ServerOptions> options, ILogger<InferenceService> logger)
    {
        var client = await resolver.ResolveAsync(context, client_id);
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
        await sessions.RecordFrameAsync(client.ClientId, frame);
        return TypedResults.Ok(new FrameReceived("Frame received", client.ClientId, frame.Length));
    }

    private static async Task<Ok<OffloadingDecisionResponse>> Decide(HttpContext context, string? client_id, ClientResolver resolver,
        IClientSessions sessions, ModelRuntime runtime, ServerTelemetry telemetry, ILogger<InferenceService> logger)
    {
        var client = await resolver.ResolveAsync(context, client_id);
        using var scope = BeginClientScope(logger, client.ClientId, client.ModelName);
        using var activity = ServerTelemetry.Start("offloading_decision", client.ClientId, client.ModelName);
        var (decision, made) = await sessions.DecideAsync(client.ClientId);
        activity?.SetTag(SciotTags.SplitLayer, decision.Layer);
        if (made)
        {
            // A decision the last result already made was counted then; one decision per cycle, counted once.
            telemetry.Decisions.Add(1, new KeyValuePair<string, object?>(SciotTags.SplitLayer, decision.Layer),
                new KeyValuePair<string, object?>(SciotTags.Model, decision.ModelName));
        }
        logger.LogInformation("offloading decision = layer {Layer} ({Reason})", decision.Layer, decision.Reason);
        var model = runtime.Get(decision.ModelName);
        return TypedResults.Ok(new OffloadingDecisionResponse
        {
            OffloadingLayerIndex = decision.Layer,
            ModelName = model.Name,
            ModelVersion = model.Manifest.Version,
            Reason = decision.Reason,
        });
    }

    private static async Task<Ok<InferenceResultResponse>> ReceiveResult(HttpContext context, string? client_id, ClientResolver resolver,
        InferenceService inference, NetworkDelaySimulator delay, ModelRuntime runtime, IOptions<ServerOptions> options, ILogger<InferenceService> logger)
    {
        // With a client_id the body limit is that client's model's largest possible payload; without one (reference
        // firmware, attributed from the payload) it is the largest of any served model.
        var known = string.IsNullOrEmpty(client_id) ? null : await resolver.ResolveAsync(context, client_id);
        var limit = Math.Min(options.Value.MaxRequestBytes, known is null ? runtime.MaxResultBytes : runtime.Get(known.ModelName).MaxResultBytes);
        // Pooled: the tail runs on the tensors where the body holds them, and the array goes back once the reply is made.
        using var body = await RequestBody.ReadPooledAsync(context.Request, limit, context.RequestAborted);
        // Once the body is in: a v1 device's bandwidth is its upload's bytes over the time since its send timestamp, and
        // Kestrel starts the handler as soon as the headers arrive.
        var receivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var client = known ?? await resolver.ResolveAsync(context, client_id, InferenceService.TryReadV1DeviceId(body.Memory.Span));
        using var scope = BeginClientScope(logger, client.ClientId, client.ModelName);
        await delay.DelayAsync(context.RequestAborted);
        var start = Stopwatch.GetTimestamp();
        var reply = await inference.ProcessAsync(client, body.Memory, receivedAt);
        return TypedResults.Ok(reply with { ProcessingSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds });
    }

    /// <summary>Every log line of a device request reads "Client a1b2c3d4 (fomo_96x96): ...".</summary>
    private static IDisposable? BeginClientScope(ILogger logger, string clientId, string model) =>
        logger.BeginScope("Client {ClientId} ({Model})", clientId, model);
}
