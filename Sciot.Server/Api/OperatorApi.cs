using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Sciot.Server.Hosting;
using Sciot.Server.Inference;
using Sciot.Server.Registration;
using Sciot.Server.Storage;

namespace Sciot.Server.Api;

/// <summary>
/// Operator actions (also the Aspire dashboard's commands). They need <c>X-Api-Key</c> whenever
/// <c>Sciot:Server:OperatorApiKey</c> is set; device endpoints stay open as the reference firmware expects.
/// </summary>
public static class OperatorApi
{
    public const string ApiKeyHeader = "X-Api-Key";

    public sealed record AssignRequest(string? ModelName);

    public sealed record ForceLayerRequest(int? Layer);

    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operator").AddEndpointFilter(async (context, next) =>
        {
            var key = context.HttpContext.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.OperatorApiKey;
            if (!string.IsNullOrEmpty(key) && !KeyMatches(context.HttpContext.Request.Headers[ApiKeyHeader].ToString(), key))
            {
                throw new ApiProblemException(StatusCodes.Status401Unauthorized, "Operator key required", $"send the operator API key in the {ApiKeyHeader} header");
            }
            return await next(context);
        });

        group.MapPost("/refresh", (ClientRegistry registry) =>
            Results.Ok(new { message = "Local-inference refresh scheduled", clients = registry.RequestRefreshAll("refresh requested by operator") }));

        group.MapPost("/rebalance", (ClientRegistry registry) =>
        {
            var changes = registry.Rebalance();
            return Results.Ok(new
            {
                message = $"Rebalanced with strategy {registry.StrategyName}",
                changes = changes.Select(c => new { client_id = c.ClientId, from = c.From, to = c.To }),
            });
        });

        group.MapPost("/reset_statistics", (ClientRegistry registry) =>
        {
            registry.ResetStatistics();
            return Results.Ok(new { message = "Statistics reset; every client will refresh its device times" });
        });

        group.MapPost("/clients/{clientId}/model", async (string clientId, HttpContext context, ClientRegistry registry, ModelRuntime runtime) =>
        {
            var request = await RequestBody.ReadJsonAsync<AssignRequest>(context.Request, context.RequestAborted);
            var client = registry.TryGet(clientId, out var state) ? state : throw ApiProblemException.UnknownClient(clientId);
            if (request.ModelName is null || !runtime.TryGet(request.ModelName, out _))
            {
                throw new ApiProblemException(StatusCodes.Status400BadRequest, "Unknown model",
                    $"model_name '{request.ModelName}' is not served; available: {string.Join(", ", runtime.Catalog.Names)}", "model_name");
            }
            registry.Reassign(client, request.ModelName);
            return Results.Ok(new { message = "Re-assigned", client_id = clientId, model_name = request.ModelName });
        });

        group.MapPost("/clients/{clientId}/force_layer", async (string clientId, HttpContext context, ClientRegistry registry, ModelRuntime runtime) =>
        {
            var request = await RequestBody.ReadJsonAsync<ForceLayerRequest>(context.Request, context.RequestAborted);
            var client = registry.TryGet(clientId, out var state) ? state : throw ApiProblemException.UnknownClient(clientId);
            var last = runtime.Get(client.ModelName).Graph.LastLayer;
            if (request.Layer is { } k && (k < -1 || k > last))
            {
                throw new ApiProblemException(StatusCodes.Status400BadRequest, "Layer out of range", $"layer must be in -1..{last} or null", "layer");
            }
            lock (client.Sync)
            {
                client.ForcedLayer = request.Layer;
            }
            return Results.Ok(new { message = request.Layer is null ? "Decision released" : "Decision forced", client_id = clientId, layer = request.Layer });
        });

        group.MapGet("/inferences.csv", (SciotDatabase database) => Results.Text(database.ExportInferencesCsv(), "text/csv"));
        return app;
    }

    private static bool KeyMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
