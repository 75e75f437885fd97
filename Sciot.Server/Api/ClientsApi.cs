using Sciot.Server.Registration;

namespace Sciot.Server.Api;

/// <summary>What the server knows of each client: model, current split, device-time averages, bandwidth, activity.</summary>
public static class ClientsApi
{
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/clients", (ClientRegistry registry) => Results.Ok(registry.Clients.Select(Describe)));
        app.MapGet("/api/clients/{clientId}", (string clientId, ClientRegistry registry) =>
            registry.TryGet(clientId, out var state) ? Results.Ok(Describe(state)) : throw ApiProblemException.UnknownClient(clientId));
        return app;
    }

    private static object Describe(ClientState c)
    {
        lock (c.Sync)
        {
            return new
            {
                client_id = c.ClientId,
                model_name = c.ModelName,
                current_split = c.LastDecision,
                forced_layer = c.ForcedLayer,
                refresh_pending = c.RefreshPending,
                device_seconds_ema = c.DeviceSeconds.Select(e => e.HasValue ? e.Value : (double?)null).ToArray(),
                device_samples = c.DeviceSamples,
                bandwidth_bytes_per_second = c.Bandwidth.HasEstimate ? c.Bandwidth.BytesPerSecond : (double?)null,
                registered_at = c.RegisteredAt,
                last_seen = c.LastSeen,
                inference_count = c.InferenceCount,
                frames_received = c.FramesReceived,
                capabilities = c.Capabilities,
                remote_address = c.RemoteAddress,
            };
        }
    }
}
