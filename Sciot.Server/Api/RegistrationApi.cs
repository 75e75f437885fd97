using Microsoft.AspNetCore.Http.HttpResults;
using Sciot.Core.Protocol;
using Sciot.Core.Protocol.Json;
using Sciot.Core.Telemetry;
using Sciot.Server.Inference;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;
using Sciot.Server.Telemetry;

namespace Sciot.Server.Api;

public static class RegistrationApi
{
    public static IEndpointRouteBuilder MapRegistrationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/registration", Register);
        return app;
    }

    private static async Task<Ok<RegistrationResponse>> Register(HttpContext context, IClientSessions sessions, ModelRuntime runtime,
        ServerTelemetry telemetry, ILogger<IClientSessions> logger)
    {
        var request = await RequestBody.ReadJsonAsync<RegistrationRequest>(context.Request, context.RequestAborted);
        var clientId = request.ClientId ?? request.DeviceId ?? ClientIds.NewRandom();
        if (ClientIds.Problem(clientId) is { } problem)
        {
            throw new RequestRejectedException(RejectionKind.Invalid, "Invalid client_id", problem, "client_id");
        }
        using var activity = ServerTelemetry.Start("registration", clientId, null);
        var outcome = await sessions.RegisterAsync(clientId, request.Capabilities, context.Connection.RemoteIpAddress?.ToString());
        var model = runtime.Get(outcome.Session.ModelName);
        activity?.SetTag(SciotTags.Model, model.Name);
        telemetry.Registrations.Add(1, new KeyValuePair<string, object?>(SciotTags.Model, model.Name));
        logger.LogInformation("{Kind} client {ClientId}: model {Model} ({Reason})", outcome.Returning ? "Returning" : "New", clientId, model.Name,
            outcome.AssignmentReason);
        return TypedResults.Ok(new RegistrationResponse
        {
            Message = "Success",
            ClientId = clientId,
            ModelName = model.Name,
            ModelVersion = model.Manifest.Version,
            LayerCount = model.LayerCount,
            LastOffloadingLayer = model.Graph.LastLayer,
            ModelUrl = $"/api/models/{model.Name}/onnx",
            ManifestUrl = $"/api/models/{model.Name}",
            AssignmentReason = outcome.AssignmentReason,
        });
    }
}
