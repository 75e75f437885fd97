using Microsoft.Extensions.Options;
using Sciot.Core.Protocol;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Hosting;
using Sciot.Server.Inference;
using Sciot.Server.Registration;
using Sciot.Server.Telemetry;
using Sciot.Core.Telemetry;

namespace Sciot.Server.Api;

public static class RegistrationApi
{
    public static IEndpointRouteBuilder MapRegistrationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/registration", async (HttpContext context, ClientRegistry registry, ModelRuntime runtime,
            ServerTelemetry telemetry, ILogger<ClientRegistry> logger) =>
        {
            var request = await RequestBody.ReadJsonAsync<RegistrationRequest>(context.Request, context.RequestAborted);
            var clientId = request.ClientId ?? request.DeviceId ?? ClientIds.NewRandom();
            if (ClientIds.Problem(clientId) is { } problem)
            {
                throw new ApiProblemException(StatusCodes.Status400BadRequest, "Invalid client_id", problem, "client_id");
            }
            using var activity = ServerTelemetry.Start("registration", clientId, null);
            var (state, assignment, returning) = registry.Register(clientId, request.Capabilities, context.Connection.RemoteIpAddress?.ToString());
            var model = runtime.Get(state.ModelName);
            activity?.SetTag(SciotTags.Model, model.Name);
            telemetry.Registrations.Add(1, new KeyValuePair<string, object?>(SciotTags.Model, model.Name));
            logger.LogInformation("{Kind} client {ClientId}: model {Model} ({Reason})", returning ? "Returning" : "New", clientId, model.Name, assignment.Reason);
            return Results.Ok(new RegistrationResponse
            {
                Message = "Success",
                ClientId = clientId,
                ModelName = model.Name,
                ModelVersion = model.Manifest.Version,
                LayerCount = model.LayerCount,
                LastOffloadingLayer = model.Graph.LastLayer,
                ModelUrl = $"/api/models/{model.Name}/onnx",
                ManifestUrl = $"/api/models/{model.Name}",
                AssignmentReason = assignment.Reason,
            });
        });
        return app;
    }
}
